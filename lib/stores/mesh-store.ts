/**
 * The mesh slice of the UI state: this tab's node status, relay connection and the presence
 * view. A vanilla zustand store created per provider (zustand's Next.js guide), fed only by
 * the tab mesh's callbacks.
 */
import { createStore } from 'zustand/vanilla'
import type { PeerRow, PresenceSnapshot } from '../net/presence/service'
import type { RelayState } from '../net/relay-keeper'

export type NodeStatus = 'starting' | 'running' | 'error'

export interface MeshState {
  status: NodeStatus
  error?: string
  room?: { id: string; name: string }
  self?: PresenceSnapshot['self']
  relay: RelayState
  peers: PeerRow[]
  /** Local clock of the last presence update, to show "last heartbeat … ago". */
  updatedAt: number
}

export interface MeshActions {
  started(room: { id: string; name: string }): void
  failed(error: string): void
  presence(snapshot: PresenceSnapshot): void
  relayState(state: RelayState): void
}

export type MeshStore = ReturnType<typeof createMeshStore>

/** Creates one store per provider (never a module-level singleton). */
export function createMeshStore() {
  return createStore<MeshState & MeshActions>()((set) => ({
    status: 'starting',
    relay: 'disconnected',
    peers: [],
    updatedAt: 0,
    started: (room) => set({ status: 'running', room, error: undefined }),
    failed: (error) => set({ status: 'error', error }),
    presence: (snapshot) => set({ self: snapshot.self, peers: snapshot.peers, updatedAt: Date.now() }),
    relayState: (relay) => set({ relay }),
  }))
}
