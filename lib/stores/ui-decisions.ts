/**
 * Decisions waiting out their undo window. A reviewer's decision is signed and published only
 * when its window ends (or they choose "send now"), so "Undo" really takes it back: nothing has
 * left the tab yet. Created per provider with `zustand/vanilla`; the timers live here, not in a
 * view, so leaving the inbox does not lose a decision.
 */
import { createStore } from 'zustand/vanilla'

/** How long a decision can be taken back (ms). */
export const UNDO_MS = 6000
/** How long "Sent: …" stays on screen (ms). */
export const NOTICE_MS = 8000

export interface PendingDecision {
  id: string
  session: string
  /** "Approved plan v2 of Add feature flag …" */
  label: string
  deadline: number
  /** Signs and publishes; resolves to an error sentence, or null when stored. */
  send(): Promise<string | null>
}

/** What the reviewer is told once a decision left (or failed to). */
export interface DecisionNotice {
  id: string
  label: string
  error: string | null
}

export interface UiDecisionsState {
  pending: PendingDecision[]
  sending: string[]
  notices: DecisionNotice[]
  /** Queues a decision; it is sent when the window ends. */
  schedule(d: Omit<PendingDecision, 'id' | 'deadline'>, windowMs?: number): string
  undo(id: string): void
  /** Sends now, without waiting for the window. */
  sendNow(id: string): Promise<void>
  /** Sends everything still pending (the page is closing). */
  flush(): void
  dismissNotice(id: string): void
}

export type UiDecisionsStore = ReturnType<typeof createUiDecisionsStore>

let seq = 0

/** Creates the pending-decisions slice. */
export function createUiDecisionsStore() {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  return createStore<UiDecisionsState>()((set, get) => {
    const send = async (id: string) => {
      const d = get().pending.find((p) => p.id === id)
      if (!d) return
      clearTimeout(timers.get(id))
      timers.delete(id)
      set((s) => ({ pending: s.pending.filter((p) => p.id !== id), sending: [...s.sending, id] }))
      let error: string | null
      try {
        error = await d.send()
      } catch (err) {
        error = (err as Error).message
      }
      set((s) => ({ sending: s.sending.filter((x) => x !== id), notices: [...s.notices.slice(-4), { id, label: d.label, error }] }))
      // A refusal stays until read; a success fades after a while.
      if (error == null) setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), NOTICE_MS)
    }
    return {
      pending: [],
      sending: [],
      notices: [],
      schedule(d, windowMs = UNDO_MS) {
        const id = `decision-${++seq}`
        set((s) => ({ pending: [...s.pending, { ...d, id, deadline: Date.now() + windowMs }] }))
        timers.set(id, setTimeout(() => void send(id), windowMs))
        return id
      },
      undo(id) {
        clearTimeout(timers.get(id))
        timers.delete(id)
        set((s) => ({ pending: s.pending.filter((p) => p.id !== id) }))
      },
      sendNow: (id) => send(id),
      flush() {
        for (const p of get().pending) void send(p.id)
      },
      dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    }
  })
}
