'use client'
import { useMemo } from 'react'
import type { RoomState } from '@/lib/core/state/types'
import { useRoom } from '@/components/mesh/use-room'

/**
 * Like `useRoom`, but also recomputes when `deps` change (a filter, an id): `useRoom` memoises
 * on the replica version only, so a selector that closes over UI state would go stale.
 */
export function useDerived<T>(select: (s: RoomState) => T, deps: readonly unknown[]): T | undefined {
  // A fresh wrapper per replica version: the memo below keys on it.
  const tick = useRoom((s) => ({ s }))
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `select` is re-created each render; `deps` are what it closes over
  return useMemo(() => (tick == null ? undefined : select(tick.s)), [tick, ...deps])
}
