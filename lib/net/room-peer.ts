/**
 * A room member's replication on the mesh: the replica host (validate → fold → store), gossip
 * push on the events topic and anti-entropy pull. Tabs, agents and the relay all run one.
 */
import type { Libp2p } from '@libp2p/interface'
import type { EncodedEvent } from '../core/events/envelope'
import type { EventKind, PayloadInput } from '../core/events/kinds'
import type { Signer } from '../core/events/signer'
import type { RoomId } from '../core/ids'
import type { EventStore } from '../storage/event-store'
import { EventGossip } from './event-gossip'
import { libp2pVerifier } from './keys'
import { PeerRateLimiter, type PeerLimits } from './rate-limit'
import { ReplicaHost } from './replica-host'
import type { MeshServices } from './services'
import type { RoundResult } from './sync/round'
import { SyncService } from './sync/service'

export interface RoomPeerInit {
  node: Libp2p<MeshServices>
  room: RoomId
  store: EventStore
  signer: Signer
  syncIntervalMs?: number
  now?: () => number
  onRound?: (peer: string, result: RoundResult) => void
  /** Per-peer gossip budget (defaults in rate-limit.ts). */
  peerLimits?: PeerLimits
}

/** See the module comment. `start()` replays the store, then joins gossip and sync. */
export class RoomPeer {
  readonly host: ReplicaHost
  readonly gossip: EventGossip
  readonly sync: SyncService
  readonly signer: Signer
  loaded = 0
  private syncedOnce = false
  private readonly firstRoundWaiters: Array<() => void> = []

  constructor(init: RoomPeerInit) {
    this.signer = init.signer
    this.host = new ReplicaHost({ room: init.room, store: init.store, verifier: libp2pVerifier(), now: init.now })
    this.gossip = new EventGossip(init.node, {
      room: init.room,
      limiter: new PeerRateLimiter(init.peerLimits),
      ingest: async (bytes) => (await this.host.ingest([bytes]))[0],
    })
    this.sync = new SyncService(init.node, {
      intervalMs: init.syncIntervalMs,
      replica: {
        room: init.room,
        summary: () => this.host.replica.summary(),
        missingFrom: (remote) =>
          this.host.replica
            .missingFrom(remote)
            .sort((a, b) => a.event.lamport - b.event.lamport || (a.id < b.id ? -1 : 1))
            .map((e) => e.bytes),
        ingest: async (events) => (await this.host.ingest(events)).filter((r) => r.status === 'accepted').length,
      },
      onRound: (peer, r) => {
        this.syncedOnce = true
        for (const w of this.firstRoundWaiters.splice(0)) w()
        init.onRound?.(peer, r)
      },
    })
  }

  async start(): Promise<void> {
    this.loaded = await this.host.load()
    this.gossip.start()
    await this.sync.start()
  }

  async stop(): Promise<void> {
    this.host.close()
    this.gossip.stop()
    await this.sync.stop()
  }

  /**
   * Resolves after the first completed sync round (or at once if one has run), false on
   * timeout. Before its first event a peer waits for this, so it learns its own earlier events
   * (from another device or a lost store) instead of forking its own chain.
   */
  firstRound(timeoutMs: number): Promise<boolean> {
    if (this.syncedOnce) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      this.firstRoundWaiters.push(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  /** Authors an event as this peer: durable first, then published. */
  async author<K extends EventKind>(kind: K, payload: PayloadInput<K>): Promise<EncodedEvent> {
    const enc = await this.host.author(this.signer, kind, payload)
    // Right after start-up the gossip mesh may not have formed yet: a publish that reached
    // nobody would wait for the next periodic sync, so pull that round forward.
    if ((await this.gossip.publish(enc.bytes)) === 0) setTimeout(() => void this.sync.syncWithAll(), 250)
    return enc
  }

  /** Stores and publishes an event signed elsewhere (e.g. a genesis made before the room existed). */
  async addOwn(enc: EncodedEvent): Promise<void> {
    await this.host.ingest([enc.bytes])
    await this.gossip.publish(enc.bytes)
  }
}
