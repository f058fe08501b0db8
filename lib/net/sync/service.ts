/**
 * Runs anti-entropy on a libp2p node (DESIGN §4): a round with every newly identified peer that
 * speaks the protocol, and one every `intervalMs` with a random connected peer. The handler is
 * registered for unlimited connections only and a stream is opened per round, never held, so
 * the relayed → WebRTC upgrade loses nothing (ADR 0021).
 */
import type { Connection, IdentifyResult, Libp2p, PeerId } from '@libp2p/interface'
import { TokenBucket } from '../rate-limit'
import { streamChannel } from './libp2p-channel'
import { SYNC_PROTOCOL, SYNC_PROTOCOL_PROBE } from './messages'
import { initiateRound, respondRound, type RoundResult, type SyncReplica } from './round'

export interface SyncServiceInit {
  replica: SyncReplica
  /** Between periodic rounds (ms). @default 5000 */
  intervalMs?: number
  /** Concurrent inbound rounds per connection and protocol version (1.1.0, 1.0.0 each). @default 2 */
  maxInboundStreams?: number
  /** After each completed round; `ms` is its duration on a monotonic clock. */
  onRound?: (peer: string, result: RoundResult, direction: 'out' | 'in', ms: number) => void
  onError?: (peer: string, err: Error) => void
  /** Rounds a peer may open with us: steady rate per second and burst. @default 1/s, burst 5 */
  inboundRounds?: { perSec: number; burst: number }
}

export interface SyncStats {
  rounds: number
  equalRounds: number
  failedRounds: number
  /** Inbound rounds refused because the peer opened too many. */
  refusedRounds: number
  eventsReceived: number
  eventsAdded: number
  eventsSent: number
  bytesSent: number
  bytesReceived: number
}

/** See the module comment. */
export class SyncService {
  private readonly node: Libp2p
  private readonly init: SyncServiceInit
  private readonly inFlight = new Set<string>()
  private timer?: ReturnType<typeof setInterval>
  private readonly roundBudget = new Map<string, TokenBucket>()
  readonly stats: SyncStats = { rounds: 0, equalRounds: 0, failedRounds: 0, refusedRounds: 0, eventsReceived: 0, eventsAdded: 0, eventsSent: 0, bytesSent: 0, bytesReceived: 0 }

  /** The replica as rounds see it: counts what arrives as it arrives, so a round that fails
   * halfway (its events are kept) still shows in the stats. */
  private readonly replica: SyncReplica

  constructor(node: Libp2p, init: SyncServiceInit) {
    this.node = node
    this.init = init
    this.replica = {
      ...init.replica,
      summary: () => init.replica.summary(),
      missingFrom: (remote) => init.replica.missingFrom(remote),
      ingest: async (events, from) => {
        const added = await init.replica.ingest(events, from)
        this.stats.eventsReceived += events.length
        this.stats.eventsAdded += added
        return added
      },
    }
  }

  async start(): Promise<void> {
    await this.node.handle([SYNC_PROTOCOL_PROBE, SYNC_PROTOCOL], (stream, connection) => void this.respond(stream, connection), {
      runOnLimitedConnection: false,
      maxInboundStreams: this.init.maxInboundStreams ?? 2,
    })
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.timer = setInterval(() => void this.syncWithRandomPeer(), this.init.intervalMs ?? 5000)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.node.removeEventListener('peer:identify', this.onIdentify)
    await this.node.unhandle([SYNC_PROTOCOL_PROBE, SYNC_PROTOCOL])
  }

  /** Runs one round with `peer` now (no-op if one is already running with it). */
  async syncWith(peer: PeerId): Promise<RoundResult | undefined> {
    const id = peer.toString()
    const conn = this.usableConnection(peer)
    if (conn == null || this.inFlight.has(id)) return undefined
    this.inFlight.add(id)
    const t0 = performance.now()
    try {
      // A peer that speaks 1.1.0 is probed with the root alone; an older one gets the summary.
      const stream = await conn.newStream([SYNC_PROTOCOL_PROBE, SYNC_PROTOCOL], { signal: AbortSignal.timeout(10_000) })
      const ch = streamChannel(stream)
      try {
        const r = await initiateRound(ch, this.from(id), { probe: stream.protocol === SYNC_PROTOCOL_PROBE })
        this.record(id, r, 'out', performance.now() - t0)
        return r
      } finally {
        await ch.close()
      }
    } catch (err) {
      this.stats.failedRounds++
      this.init.onError?.(id, err as Error)
      return undefined
    } finally {
      this.inFlight.delete(id)
    }
  }

  /** The replica as a round with `peer` sees it: what it receives is tagged with the sender. */
  private from(peer: string): SyncReplica {
    return { ...this.replica, ingest: (events) => this.replica.ingest(events, peer) }
  }

  /** Runs a round with the connected peer whose id is `peer`; undefined if it did not run or failed. */
  async syncWithId(peer: string): Promise<RoundResult | undefined> {
    const p = this.node.getPeers().find((q) => q.toString() === peer)
    return p == null ? undefined : this.syncWith(p)
  }

  /** Runs a round with every usable peer now (e.g. after a publish that reached nobody). */
  async syncWithAll(): Promise<void> {
    await Promise.all(this.node.getPeers().filter((p) => this.usableConnection(p) != null).map((p) => this.syncWith(p)))
  }

  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { peerId, protocols, connection } = evt.detail
    if (connection.limits != null || !protocols.includes(SYNC_PROTOCOL)) return
    void this.syncWith(peerId)
  }

  private async syncWithRandomPeer(): Promise<void> {
    const peers = this.node.getPeers().filter((p) => this.usableConnection(p) != null)
    if (peers.length === 0) return
    const peer = peers[Math.floor(Math.random() * peers.length)]
    const known = await this.node.peerStore.get(peer).catch(() => undefined)
    if (known?.protocols.includes(SYNC_PROTOCOL)) await this.syncWith(peer)
  }

  private usableConnection(peer: PeerId): Connection | undefined {
    return this.node.getConnections(peer).find((c) => c.status === 'open' && c.limits == null)
  }

  private async respond(stream: Parameters<Parameters<Libp2p['handle']>[1]>[0], connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString()
    const ch = streamChannel(stream)
    if (!this.allowRound(id)) {
      this.stats.refusedRounds++
      await ch.send({ t: 'error', reason: 'too many sync rounds; try again later' }).catch(() => undefined)
      await ch.close()
      return
    }
    const t0 = performance.now()
    try {
      this.record(id, await respondRound(ch, this.from(id)), 'in', performance.now() - t0)
    } catch (err) {
      this.stats.failedRounds++
      this.init.onError?.(id, err as Error)
    } finally {
      await ch.close()
    }
  }

  private allowRound(peer: string): boolean {
    let bucket = this.roundBudget.get(peer)
    if (bucket == null) {
      if (this.roundBudget.size >= 10_000) this.roundBudget.clear()
      const { perSec, burst } = this.init.inboundRounds ?? { perSec: 1, burst: 5 }
      bucket = new TokenBucket(perSec, burst)
      this.roundBudget.set(peer, bucket)
    }
    return bucket.take()
  }

  private record(peer: string, r: RoundResult, direction: 'out' | 'in', ms: number): void {
    const s = this.stats
    s.rounds++
    if (r.equal) s.equalRounds++
    s.eventsSent += r.sent
    s.bytesSent += r.bytesSent
    s.bytesReceived += r.bytesReceived
    this.init.onRound?.(peer, r, direction, ms)
  }
}
