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
import { monotonic, type Clock } from './clock'
import { chargesAuthor, EventGossip } from './event-gossip'
import { peekHeader } from './event-header'
import { libp2pVerifier, nativeSha256 } from './keys'
import { AuthorBudget, PeerRateLimiter, type AuthorLimits, type PeerLimits } from './rate-limit'
import { ReplicaHost } from './replica-host'
import type { MeshServices } from './services'
import { roundFailureLogger } from './sync/failures'
import type { Summary } from '../core/log/summary'
import type { RoundResult } from './sync/round'
import { SyncService } from './sync/service'
import { gateBatch } from './sync-gate'

export interface RoomPeerInit {
  node: Libp2p<MeshServices>
  room: RoomId
  store: EventStore
  signer: Signer
  syncIntervalMs?: number
  /** Wall clock (ms since the epoch): events' times are judged by it. @default Date.now */
  now?: () => number
  /** Monotonic clock for the budgets (rate-limit.ts); never the wall clock. @default clock.ts's monotonic */
  clock?: Clock
  /** After each completed sync round; `ms` is its duration on a monotonic clock. */
  onRound?: (peer: string, result: RoundResult, ms: number) => void
  /** A sync round that failed, with its reason. @default roundFailureLogger() (console.warn, throttled) */
  onSyncError?: (peer: string, err: Error) => void
  /** After each ingest of received events: how many, from where, how long it took (ms). */
  onIngest?: (source: 'gossip' | 'sync', events: number, ms: number) => void
  /** Per-forwarder gossip budget, a pre-decode guard (defaults in rate-limit.ts). */
  peerLimits?: PeerLimits
  /** Per-author budget over gossip and sync (ADR 0061; defaults in rate-limit.ts). */
  authorLimits?: AuthorLimits
  /** The log's event hash (`EventLogInit.sha256`). @default nativeSha256() (node:crypto in Node, the core's default elsewhere) */
  sha256?: (bytes: Uint8Array) => Uint8Array
}

/** Counters of the per-author budget on the sync path. */
export interface SyncBudgetStats {
  /** Events received in sync rounds and left for a later round (author over budget). */
  deferred: number
  /** Events let through although their author was over budget, because another author's event waited for them. */
  needed: number
  /** Sync rounds pulled forward because a gossiped event was missing references. */
  pulls: number
}

/** What this peer's sync rounds offered: events of chains the other side lacks, and parked (pending) ones. */
export interface SyncOfferStats {
  stored: number
  pending: number
  /** Of the pending ones, those whose author's chain the other side already holds up to their seq (unforked). */
  pendingCovered: number
}

/** A gossiped event missing references pulls a round with its sender this soon (ms), at most once per that long. */
const PULL_DELAY_MS = 200

/** See the module comment. `start()` replays the store, then joins gossip and sync. */
export class RoomPeer {
  readonly host: ReplicaHost
  readonly gossip: EventGossip
  readonly sync: SyncService
  readonly signer: Signer
  /** Per-author budget shared by gossip and sync (ADR 0061). */
  readonly authors: AuthorBudget
  readonly syncBudget: SyncBudgetStats = { deferred: 0, needed: 0, pulls: 0 }
  readonly syncOffers: SyncOfferStats = { stored: 0, pending: 0, pendingCovered: 0 }
  loaded = 0
  private readonly pulling = new Set<string>()
  /** Peers a deferring round is owed to: see askAgainWhenRefilled. */
  private readonly owed = new Map<string, { again: boolean; delay: number; failures: number }>()
  private stopped = false
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly now: () => number
  private readonly onIngest: RoomPeerInit['onIngest']
  private syncedOnce = false
  private readonly firstRoundWaiters: Array<() => void> = []

  constructor(init: RoomPeerInit) {
    this.signer = init.signer
    this.now = init.now ?? Date.now
    this.onIngest = init.onIngest
    const clock = init.clock ?? monotonic
    this.authors = new AuthorBudget(init.authorLimits, clock)
    this.host = new ReplicaHost({ room: init.room, store: init.store, verifier: libp2pVerifier(), now: init.now, sha256: init.sha256 ?? nativeSha256() })
    this.gossip = new EventGossip(init.node, {
      room: init.room,
      limiter: new PeerRateLimiter(init.peerLimits, clock),
      authors: this.authors,
      ingest: async (bytes, from) => {
        const t0 = performance.now()
        const r = (await this.host.ingest([bytes]))[0]
        init.onIngest?.('gossip', 1, performance.now() - t0)
        if (r.status === 'pending') this.pullSoon(bytes, from)
        return r
      },
    })
    this.sync = new SyncService(init.node, {
      intervalMs: init.syncIntervalMs,
      onError: init.onSyncError ?? roundFailureLogger(),
      replica: {
        room: init.room,
        summary: () => this.host.replica.summary(),
        missingFrom: (remote) => this.offer(remote),
        ingest: (events, from) => this.ingestSynced(events, from),
      },
      onRound: (peer, r, _direction, ms) => {
        // Equal roots: this replica held everything the peer had when the round began.
        if (r.equal) this.host.caughtUp(this.now() - ms)
        this.syncedOnce = true
        for (const w of this.firstRoundWaiters.splice(0)) w()
        init.onRound?.(peer, r, ms)
      },
    })
  }

  /** The events a peer with summary `remote` may lack, in (lamport, id) order, counted by kind of offer. */
  private offer(remote: Summary): Uint8Array[] {
    const log = this.host.replica.log
    const out = this.host.replica.missingFrom(remote).sort((a, b) => a.event.lamport - b.event.lamport || (a.id < b.id ? -1 : 1))
    if (log.pendingCount === 0) this.syncOffers.stored += out.length
    else {
      const theirs = new Map(remote.authors.filter((a) => a.forked == null).map((a) => [a.author as string, a.seq]))
      for (const e of out) {
        if (log.has(e.id)) this.syncOffers.stored++
        else {
          this.syncOffers.pending++
          if ((theirs.get(e.event.author) ?? 0) >= e.event.seq) this.syncOffers.pendingCovered++
        }
      }
    }
    return out.map((e) => e.bytes)
  }

  /** Ingests a batch from a sync round under the per-author budget; returns how many were new. */
  private async ingestSynced(events: Uint8Array[], from: string | undefined): Promise<number> {
    const gated = gateBatch(events, from, this.authors, this.host.replica.log, this.now())
    this.syncBudget.deferred += gated.deferred
    if (gated.deferred > 0 && from != null) this.askAgainWhenRefilled(from)
    this.syncBudget.needed += gated.needed
    const t0 = performance.now()
    const results = await this.host.ingest(gated.admit)
    if (gated.admit.length > 0) this.onIngest?.('sync', gated.admit.length, performance.now() - t0)
    results.forEach((r, i) => {
      const head = gated.charge[i]
      if (head != null && chargesAuthor(r)) this.authors.charge(head.author)
    })
    return results.filter((r) => r.status === 'accepted').length
  }

  /**
   * A gossiped event arrived before something it references (e.g. its sender's earlier event
   * was dropped on the way): pull a round with that sender soon rather than wait for the
   * periodic one. Not when the sender is the author (a chain it broke itself, e.g. a flood's
   * tail our budget dropped), nor for authors over budget: those wait for the periodic rounds.
   */
  private pullSoon(bytes: Uint8Array, from: string): void {
    const head = peekHeader(bytes)
    if (head == null || head.author === from || this.authors.overBudget(head.author) || this.pulling.has(from)) return
    this.pulling.add(from)
    this.syncBudget.pulls++
    this.later(() => {
      void this.sync.syncWithId(from)
      this.later(() => this.pulling.delete(from))
    })
  }

  /**
   * A round deferred events over an author's budget: ask the same peer again once a burst has
   * refilled rather than at the next periodic round, so catching up on a busy author's fresh
   * events runs at the budget's rate (a burst per refill), not at one burst per sync interval.
   * One loop per peer: it asks again while rounds keep deferring, backs off when a round does
   * not run (refused by the peer's own round budget, in flight, failed) and gives up after a
   * few of those. A flooder's deferred events still come in no faster than its budget admits.
   */
  private askAgainWhenRefilled(from: string): void {
    const owed = this.owed.get(from)
    if (owed != null) return void (owed.again = true)
    const refill = Math.ceil((this.authors.limits.burst / this.authors.limits.perSec) * 1000)
    const state = { again: false, delay: refill, failures: 0 }
    this.owed.set(from, state)
    const next = () =>
      this.later(() => {
        void this.sync.syncWithId(from).then((r) => {
          if (r == null) {
            state.again = ++state.failures <= 5
            state.delay = Math.min(state.delay * 2, 8 * refill)
          } else {
            state.failures = 0
            state.delay = refill
          }
          if (!state.again) return void this.owed.delete(from)
          state.again = false
          next()
        })
      }, state.delay)
    next()
  }

  /** Runs `fn` after `ms` (PULL_DELAY_MS by default) unless this peer stops first. */
  private later(fn: () => void, ms = PULL_DELAY_MS): void {
    if (this.stopped) return
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  async start(): Promise<void> {
    this.loaded = await this.host.load()
    this.gossip.start()
    await this.sync.start()
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
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
