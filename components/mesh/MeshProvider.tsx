'use client'
/**
 * Starts this tab's mesh node once per mount and feeds the stores. The libp2p code is loaded
 * with a dynamic import inside the effect, so it never runs on the server and never becomes a
 * module-level singleton (StrictMode's double mount stops the first node cleanly).
 */
import { createContext, useEffect, useState, type ReactNode } from 'react'
import { createMeshStore, type MeshStore } from '@/lib/stores/mesh-store'
import { createRoomStore, type RoomStore } from '@/lib/stores/room-store'

export const MeshStoreContext = createContext<MeshStore | null>(null)
export const RoomStoreContext = createContext<RoomStore | null>(null)

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and curious engineers (tldraw-style test API). */
    chorus?: { store: MeshStore; room: RoomStore }
  }
}

export function MeshProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createMeshStore)
  const [room] = useState(createRoomStore)

  useEffect(() => {
    let cancelled = false
    let stop: (() => Promise<void>) | undefined
    window.chorus = { store, room }
    const mesh = store.getState()
    void (async () => {
      try {
        const { startTabMesh } = await import('@/lib/net/tab-mesh')
        const handle = await startTabMesh({
          onPresence: (snapshot) => mesh.presence(snapshot),
          onRelayState: (state) => mesh.relayState(state),
          onReplica: ({ state, root, events, pending, flags, recent }) => {
            room.getState().changed(state)
            mesh.replicaChanged({ root, events, pending, flags, recent })
          },
          onSync: (stats) => mesh.syncChanged(stats),
          onMembership: (outcome) => mesh.membershipChanged(outcome),
        })
        if (cancelled) {
          await handle.stop()
          return
        }
        stop = handle.stop
        mesh.started({ id: handle.room.room, name: handle.room.name, open: handle.room.open }, handle)
      } catch (err) {
        if (!cancelled) mesh.failed((err as Error).message)
      }
    })()
    return () => {
      cancelled = true
      void stop?.()
    }
  }, [store, room])

  return (
    <MeshStoreContext.Provider value={store}>
      <RoomStoreContext.Provider value={room}>{children}</RoomStoreContext.Provider>
    </MeshStoreContext.Provider>
  )
}
