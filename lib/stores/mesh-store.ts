/**
 * The mesh slice of the UI state: this tab's node status, relay connection, presence view,
 * replica summary, membership, sync counters and the partition banner. A vanilla zustand store
 * created per provider (zustand's Next.js guide), fed only by the tab mesh's callbacks.
 */
import { createStore } from 'zustand/vanilla'
import { detectPartition } from '../core/presence/partition'
import type { ActivityItem } from '../core/state/activity'
import type { JoinOutcome } from '../net/membership'
import type { PeerRow, PresenceSnapshot } from '../net/presence/service'
import type { RelayState, WrongRoom } from '../net/relays/pool'
import type { SyncStats } from '../net/sync/service'
import type { PeerFlags, TabMesh } from '../net/tab-mesh'

export type NodeStatus = 'starting' | 'running' | 'error'

export interface ReplicaSummary {
  root: string
  events: number
  pending: number
  flags?: PeerFlags
  recent?: ActivityItem[]
}

/** Shown while most members are silent, then for a while after they return. */
export type PartitionBanner =
  | { kind: 'partitioned'; since: number; silent: number; known: number; addedAtStart: number }
  | { kind: 'healed'; at: number; broughtIn: number; addedAtStart: number }

/** Where redeeming an invite link stands (the join page shows it). */
export type InvitePhase =
  | { kind: 'joining' }
  | { kind: 'switching'; from: string; to: string }
  | { kind: 'joined'; role: string; before: boolean }
  /** This identity holds `have`; the invite is for `want`, which would need a new identity. */
  | { kind: 'choose'; have: string; want: string }
  | { kind: 'failed'; message: string }

export interface MeshState {
  status: NodeStatus
  error?: string
  room?: { id: string; name: string; open: boolean }
  self?: PresenceSnapshot['self']
  relay: RelayState
  /** Relays this tab reached that serve another room, one entry per relay (the wrong-room banner). */
  wrongRooms: WrongRoom[]
  peers: PeerRow[]
  replica?: ReplicaSummary
  membership?: JoinOutcome
  sync?: SyncStats
  partition?: PartitionBanner
  /** The tab's mesh handle, for actions (join, rename); undefined until started. */
  mesh?: Pick<TabMesh, 'join' | 'author' | 'issueInvite' | 'setDisplayName' | 'peerId' | 'retire'>
  /** The invite being redeemed, if any. */
  invite?: InvitePhase
}

export interface MeshActions {
  started(room: { id: string; name: string; open: boolean }, mesh: MeshState['mesh']): void
  failed(error: string): void
  presence(snapshot: PresenceSnapshot, now?: number): void
  relayState(state: RelayState): void
  relayWrongRoom(w: WrongRoom): void
  replicaChanged(summary: ReplicaSummary): void
  membershipChanged(outcome: JoinOutcome): void
  syncChanged(stats: SyncStats): void
  inviteChanged(phase: InvitePhase | undefined): void
}

export type MeshStore = ReturnType<typeof createMeshStore>

/** How long the "reconnected" banner stays after a heal (ms). */
export const HEALED_BANNER_MS = 30_000

/** Creates one store per provider (never a module-level singleton). */
export function createMeshStore() {
  return createStore<MeshState & MeshActions>()((set, get) => ({
    status: 'starting',
    relay: 'disconnected',
    wrongRooms: [],
    peers: [],
    started: (room, mesh) => set({ status: 'running', room, mesh, error: undefined }),
    inviteChanged: (invite) => set({ invite }),
    failed: (error) => set({ status: 'error', error }),
    presence: (snapshot, now = Date.now()) => {
      const view = detectPartition(snapshot.peers.filter((p) => p.kind !== 'relay').map((p) => p.status))
      const prev = get().partition
      const added = get().sync?.eventsAdded ?? 0
      let partition = prev
      if (view.partitioned) {
        partition =
          prev?.kind === 'partitioned'
            ? { ...prev, silent: view.silent, known: view.known }
            : { kind: 'partitioned', since: now, silent: view.silent, known: view.known, addedAtStart: added }
      } else if (prev?.kind === 'partitioned') {
        partition = { kind: 'healed', at: now, broughtIn: added - prev.addedAtStart, addedAtStart: prev.addedAtStart }
      } else if (prev?.kind === 'healed' && now - prev.at > HEALED_BANNER_MS) {
        partition = undefined
      }
      set({ self: snapshot.self, peers: snapshot.peers, partition })
    },
    relayState: (relay) => set({ relay }),
    relayWrongRoom: (w) => set({ wrongRooms: [...get().wrongRooms.filter((x) => x.relay !== w.relay), w] }),
    replicaChanged: (replica) => set({ replica }),
    membershipChanged: (membership) => set({ membership }),
    syncChanged: (sync) => {
      const p = get().partition
      set({ sync, partition: p?.kind === 'healed' ? { ...p, broughtIn: sync.eventsAdded - p.addedAtStart } : p })
    },
  }))
}
