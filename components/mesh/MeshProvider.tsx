'use client'
/**
 * Starts this tab's mesh node once per mount and feeds the mesh store. The libp2p code is
 * loaded with a dynamic import inside the effect, so it never runs on the server and never
 * becomes a module-level singleton (StrictMode's double mount stops the first node cleanly).
 */
import { createContext, useEffect, useState, type ReactNode } from 'react'
import { createMeshStore, type MeshStore } from '@/lib/stores/mesh-store'

export const MeshStoreContext = createContext<MeshStore | null>(null)

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and curious engineers (tldraw-style test API). */
    chorus?: { store: MeshStore }
  }
}

export function MeshProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createMeshStore)

  useEffect(() => {
    let cancelled = false
    let stop: (() => Promise<void>) | undefined
    window.chorus = { store }
    void (async () => {
      try {
        const { startTabMesh } = await import('@/lib/net/tab-mesh')
        const mesh = await startTabMesh({
          onPresence: (snapshot) => store.getState().presence(snapshot),
          onRelayState: (state) => store.getState().relayState(state),
        })
        if (cancelled) {
          await mesh.stop()
          return
        }
        stop = mesh.stop
        store.getState().started({ id: mesh.room.room, name: mesh.room.name })
      } catch (err) {
        if (!cancelled) store.getState().failed((err as Error).message)
      }
    })()
    return () => {
      cancelled = true
      void stop?.()
    }
  }, [store])

  return <MeshStoreContext.Provider value={store}>{children}</MeshStoreContext.Provider>
}
