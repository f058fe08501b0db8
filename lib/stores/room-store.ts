/**
 * The room slice: the replica's folded state, handed over by reference after every stored
 * change, with a version number so components re-render. Components derive what they show
 * with the core's selectors, memoised on `version` (the state itself is never edited here).
 */
import { createStore } from 'zustand/vanilla'
import type { RoomState } from '../core/state/types'

export interface RoomSlice {
  state?: RoomState
  version: number
  changed(state: RoomState): void
}

export type RoomStore = ReturnType<typeof createRoomStore>

/** Creates one store per provider. */
export function createRoomStore() {
  return createStore<RoomSlice>()((set) => ({
    version: 0,
    changed: (state) => set((s) => ({ state, version: s.version + 1 })),
  }))
}
