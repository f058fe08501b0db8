/**
 * Turns replica changes into typed agent events for the sessions an agent takes part in:
 * a session opened or changed status, a plan version arrived, a message arrived. Each is
 * reported once per process; on start the existing state is reported too, so a restarted
 * agent sees where its sessions stand.
 */
import type { EventId, PeerId, SessionId } from '../../core/ids'
import type { Plan } from '../../core/planner/plan'
import { selectSession, type SessionView } from '../../core/state/selectors'
import type { MessageState, RoomState, SessionStatus } from '../../core/state/types'

export type AgentEvent =
  | { type: 'session'; session: SessionView; status: SessionStatus; previous: SessionStatus | null }
  | { type: 'plan'; session: SessionView; version: number; plan: Plan; event: EventId; by: PeerId }
  | { type: 'message'; session: SessionView; message: MessageState; mine: boolean }

export type AgentEventType = AgentEvent['type']

/** Remembers what was reported; `diff(state)` returns what is new. */
export class SessionWatcher {
  private readonly status = new Map<SessionId, SessionStatus>()
  private readonly seen = new Set<EventId>()
  /** What each session looked like at the last call: unchanged sessions are skipped without building a view. */
  private readonly marks = new Map<SessionId, string>()

  constructor(private readonly me: PeerId) {}

  /** New agent events in `state` since the previous call, in a stable order. */
  diff(state: RoomState): AgentEvent[] {
    const out: AgentEvent[] = []
    for (const s of state.sessions.values()) {
      if (!s.participants.includes(this.me)) continue
      // The same status, plan and message counts and last events: nothing new to report.
      const mark = `${s.status}|${s.plans.length}|${s.plans.at(-1)?.event ?? ''}|${s.messages.length}|${s.messages.at(-1)?.event ?? ''}`
      if (this.marks.get(s.id) === mark) continue
      this.marks.set(s.id, mark)
      const view = selectSession(state, s.id) as SessionView
      const before = this.status.get(s.id) ?? null
      if (before !== s.status) {
        this.status.set(s.id, s.status)
        out.push({ type: 'session', session: view, status: s.status, previous: before })
      }
      for (const p of s.plans) {
        if (this.seen.has(p.event)) continue
        this.seen.add(p.event)
        out.push({ type: 'plan', session: view, version: p.version, plan: p.plan, event: p.event, by: p.author })
      }
      for (const m of s.messages) {
        if (this.seen.has(m.event)) continue
        this.seen.add(m.event)
        out.push({ type: 'message', session: view, message: m, mine: m.author === this.me })
      }
    }
    return out
  }
}

/**
 * Hands each listener what its watcher finds new in `state`. A listener that throws loses only
 * that event: the others, and the rest of its own, still arrive, and the caller goes on.
 */
export function dispatchTo(listeners: Map<(e: AgentEvent) => void, SessionWatcher>, state: RoomState, onError: (err: unknown) => void): void {
  for (const [l, watcher] of [...listeners])
    for (const e of watcher.diff(state)) {
      if (!listeners.has(l)) break
      try {
        l(e)
      } catch (err) {
        onError(err)
      }
    }
}
