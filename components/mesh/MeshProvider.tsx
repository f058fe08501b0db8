'use client'
/**
 * Starts this tab's mesh node once per mount and feeds the stores. The libp2p code is loaded
 * with dynamic imports inside the effect (load-mesh.ts), so it never runs on the server and never becomes a
 * module-level singleton (StrictMode's double mount stops the first node cleanly). Redeeming
 * an invite lives here too, because it may restart the node under a new identity.
 */
import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { createMeshStore, type MeshStore } from '@/lib/stores/mesh-store'
import { createRoomStore, type RoomStore } from '@/lib/stores/room-store'
import type { ReplicaInfo } from '@/lib/net/tab-mesh'
import { asksForAHuman } from './asks'
import { coalesced } from './coalesce'
import { loadTabMesh } from './load-mesh'

export const MeshStoreContext = createContext<MeshStore | null>(null)
export const RoomStoreContext = createContext<RoomStore | null>(null)

/** Invite actions for the join page. */
export interface InviteActions {
  /** Redeems invite text now, or as soon as the node has started. */
  redeem(invite: string): void
  /** Takes the invite's role with a new identity (after the reviewer chose to). */
  switchIdentity(): void
}
export const InviteContext = createContext<InviteActions | null>(null)

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and curious engineers (tldraw-style test API). */
    chorus?: { store: MeshStore; room: RoomStore }
  }
}

export function MeshProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createMeshStore)
  const [room] = useState(createRoomStore)
  const [generation, setGeneration] = useState(0)
  const pending = useRef<string | undefined>(undefined)
  const last = useRef<string | undefined>(undefined)
  // The previous node's stop: a restart waits for it, so the tab takes back its own slot.
  const stopped = useRef<Promise<void>>(Promise.resolve())
  const failures = useRef(0)

  const redeemNow = useCallback(async (invite: string) => {
    const s = store.getState()
    const mesh = s.mesh
    if (mesh == null) return
    pending.current = undefined
    s.inviteChanged({ kind: 'joining' })
    try {
      // Decoding an invite needs the event schemas and codecs: loaded when one is redeemed,
      // not with every page.
      const [{ afterJoin }, outcome] = await Promise.all([import('./invite-flow'), mesh.join(invite)])
      const next = afterJoin(invite, outcome)
      if (next.kind === 'done') return store.getState().inviteChanged(next.phase)
      store.getState().inviteChanged({ kind: 'switching', from: next.from, to: next.to })
      await mesh.retire(`joined again as ${next.to} with an invite`)
      pending.current = invite
      setGeneration((g) => g + 1)
    } catch (err) {
      store.getState().inviteChanged({ kind: 'failed', message: (err as Error).message })
    }
  }, [store])

  const invites = useMemo<InviteActions>(() => ({
    redeem(invite) {
      last.current = invite
      if (store.getState().mesh != null) void redeemNow(invite)
      else (pending.current = invite, store.getState().inviteChanged({ kind: 'joining' }))
    },
    switchIdentity() {
      const invite = last.current
      const mesh = store.getState().mesh
      if (invite == null || mesh == null) return
      const want = store.getState().invite
      store.getState().inviteChanged({ kind: 'switching', from: want?.kind === 'choose' ? want.have : '', to: want?.kind === 'choose' ? want.want : '' })
      void mesh.retire('joined again with another invite').then(() => {
        pending.current = invite
        setGeneration((g) => g + 1)
      }, (err: Error) => store.getState().inviteChanged({ kind: 'failed', message: err.message }))
    },
  }), [store, redeemNow])

  useEffect(() => {
    let cancelled = false
    let stop: (() => Promise<void>) | undefined
    let retry: ReturnType<typeof setTimeout> | undefined
    window.chorus = { store, room }
    const mesh = store.getState()
    // One render per task however many batches the replica folded in it, paced in a busy room
    // (coalesce.ts); the report is made only for the changes shown, and for those the pacing
    // holds back, to see whether one asks for a human (asks.ts), which is not held back.
    const asks = asksForAHuman()
    const replica = coalesced<() => ReplicaInfo>((read) => {
      const { state, root, events, pending, flags, recent } = read()
      room.getState().changed(state)
      mesh.replicaChanged({ root, events, pending, flags, recent })
      // What is shown now is no news to the next look.
      asks(recent)
    }, { urgent: (read) => asks(read().recent) })
    void (async () => {
      try {
        await stopped.current
        const { startTabMesh } = await loadTabMesh()
        if (cancelled) return
        const handle = await startTabMesh({
          onPresence: (snapshot) => mesh.presence(snapshot),
          onRelayState: (state) => mesh.relayState(state),
          onWrongRoom: (w) => mesh.relayWrongRoom(w),
          onReplica: (read) => replica.push(read),
          onSync: (stats) => mesh.syncChanged(stats),
          onMembership: (outcome) => mesh.membershipChanged(outcome),
        }, { invitePending: () => pending.current != null })
        if (cancelled) {
          await handle.stop()
          return
        }
        stop = handle.stop
        mesh.started({ id: handle.room.room, name: handle.room.name, open: handle.room.open }, handle)
        if (pending.current != null) void redeemNow(pending.current)
        failures.current = 0
      } catch (err) {
        if (cancelled) return
        mesh.failed((err as Error).message)
        // The relay may be starting or busy: try again, less and less often.
        const wait = Math.min(30_000, 2000 * 2 ** failures.current++)
        retry = setTimeout(() => setGeneration((g) => g + 1), wait)
      }
    })()
    return () => {
      cancelled = true
      clearTimeout(retry)
      replica.cancel()
      stopped.current = stop?.().catch(() => undefined) ?? Promise.resolve()
    }
  }, [store, room, generation, redeemNow])

  return (
    <MeshStoreContext.Provider value={store}>
      <RoomStoreContext.Provider value={room}>
        <InviteContext.Provider value={invites}>{children}</InviteContext.Provider>
      </RoomStoreContext.Provider>
    </MeshStoreContext.Provider>
  )
}
