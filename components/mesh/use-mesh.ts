'use client'
import { useContext } from 'react'
import { useStore } from 'zustand'
import type { MeshActions, MeshState } from '@/lib/stores/mesh-store'
import { MeshStoreContext } from './MeshProvider'

/** Reads the mesh store through a selector; throws outside <MeshProvider>. */
export function useMesh<T>(selector: (state: MeshState & MeshActions) => T): T {
  const store = useContext(MeshStoreContext)
  if (store == null) throw new Error('useMesh must be used inside <MeshProvider>')
  return useStore(store, selector)
}
