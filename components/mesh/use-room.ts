'use client'
import { useContext, useMemo } from 'react'
import { useStore } from 'zustand'
import type { RoomState } from '@/lib/core/state/types'
import { RoomStoreContext } from './MeshProvider'

/**
 * Derives a value from the room state with a core selector, recomputed only when the replica
 * changed; undefined until the room has loaded. Throws outside <MeshProvider>.
 */
export function useRoom<T>(select: (state: RoomState) => T): T | undefined {
  const store = useContext(RoomStoreContext)
  if (store == null) throw new Error('useRoom must be used inside <MeshProvider>')
  const version = useStore(store, (s) => s.version)
  const state = useStore(store, (s) => s.state)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` marks a new fold of the same state object
  return useMemo(() => (state == null ? undefined : select(state)), [state, version])
}
