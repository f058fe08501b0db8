/**
 * Presence over gossipsub (DESIGN §3): publishes this peer's heartbeat on the room's presence
 * topic every interval, feeds received beats into a PresenceTracker, pings directly connected
 * peers for round-trip time (and to confirm suspects), and emits a snapshot on every change.
 *
 * A beat counts only from a member, under the key that signed it (gossipsub's StrictSign
 * verifies the signature against `msg.from`): anyone can mint a key and beat, so a non-member
 * is neither listed nor counted for the partition banner, and who a peer is (name, kind,
 * role) is read from the room's log, never from what its beat claims.
 */
import type { GossipSub } from '@libp2p/gossipsub'
import type { Ping } from '@libp2p/ping'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import { PresenceTracker, type PeerPresence, type PresenceInfo, type PresenceStatus } from '../../core/presence/tracker'
import { presenceTopic } from '../topics'
import { bestKind, type TransportKind } from '../transport-kind'
import { stallAware } from '../clock'
import { decodeHeartbeat, encodeHeartbeat } from './message'

const EMIT_MS = 100

export type PresenceNode = Libp2p<{ pubsub: GossipSub; ping: Ping }>

/** One row of the peers view: presence plus what the connection layer knows. */
export interface PeerRow extends PeerPresence {
  transport: TransportKind
  /** Round-trip time of the last successful libp2p ping (ms), if directly connected. */
  rttMs?: number
}

export interface PresenceSnapshot {
  self: { peerId: string } & PresenceInfo
  peers: PeerRow[]
}

/** Who a member is by the room's log (a beat's claims are not used). */
export type MemberInfo = Omit<PresenceInfo, 'root'>

export interface PresenceServiceInit {
  room: string
  self: PresenceInfo
  /**
   * Who the room's log says `peerId` is, or undefined when it is not a member (never joined,
   * left, revoked): see memberPresence (members.ts).
   */
  members: (peerId: string) => MemberInfo | undefined
  /** Peers tracked at most (PresenceTracker's maxPeers). @default 1000 */
  maxPeers?: number
  /** Heartbeat interval (ms). @default 2000 */
  intervalMs?: number
  suspectAfter?: number
  deadAfter?: number
  /**
   * The tracker's clock (tests inject one). @default a stall-aware monotonic clock (clock.ts):
   * time this process was not running does not make the others miss beats.
   */
  now?: () => number
}

/** See the module comment. Create, `start()`, `subscribe(listener)`, `stop()`. */
export class PresenceService {
  private readonly node: PresenceNode
  private readonly topic: string
  private readonly tracker: PresenceTracker
  private readonly now: () => number
  private readonly rtt = new Map<string, number>()
  private self: PresenceInfo
  private timer?: ReturnType<typeof setInterval>
  private pinging = false
  private readonly listeners = new Set<(snapshot: PresenceSnapshot) => void>()
  private emitTimer?: ReturnType<typeof setTimeout>
  private rootSource?: () => string
  private readonly members: (peerId: string) => MemberInfo | undefined
  /** Beats dropped because their signer is not a member. */
  droppedBeats = 0

  constructor(node: PresenceNode, init: PresenceServiceInit) {
    this.node = node
    this.topic = presenceTopic(init.room)
    this.self = init.self
    this.members = init.members
    this.now = init.now ?? stallAware(2 * (init.intervalMs ?? 2000))
    this.tracker = new PresenceTracker({
      intervalMs: init.intervalMs ?? 2000,
      suspectAfter: init.suspectAfter,
      deadAfter: init.deadAfter,
      maxPeers: init.maxPeers,
    })
  }

  start(): void {
    this.node.services.pubsub.subscribe(this.topic)
    this.node.services.pubsub.addEventListener('message', this.onMessage)
    this.node.addEventListener('connection:open', this.onConnectionChange)
    this.node.addEventListener('connection:close', this.onConnectionChange)
    this.timer = setInterval(() => this.tick(), this.tracker.intervalMs)
    this.publish('beat')
  }

  /** Says goodbye (best effort) and stops beating. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    clearTimeout(this.emitTimer)
    this.emitTimer = undefined
    this.node.services.pubsub.removeEventListener('message', this.onMessage)
    this.node.removeEventListener('connection:open', this.onConnectionChange)
    this.node.removeEventListener('connection:close', this.onConnectionChange)
    this.publish('bye')
  }

  /** Changes what this peer says about itself (display name, root …) and beats at once. */
  update(patch: Partial<PresenceInfo>): void {
    this.self = { ...this.self, ...patch }
    this.publish('beat')
    this.emitChange()
  }

  /** A peer's presence status (undefined if never heard), without building a snapshot. */
  status(peerId: string): PresenceStatus | undefined {
    return this.tracker.status(peerId)
  }

  /** A peer's status judged against the latest beat from anyone (the tracker's `statusVsRoom`). */
  statusVsRoom(peerId: string): PresenceStatus | undefined {
    return this.tracker.statusVsRoom(peerId)
  }

  snapshot(): PresenceSnapshot {
    // The tracker's times are on its own clock; the view shows wall times (after a stall of this
    // process, "last seen" then reads as recent as the beats this process could not read).
    const [clock, wall] = [this.now(), Date.now()]
    const peers = this.tracker.list().flatMap((p) => {
      // Read at every snapshot, so a rename or a revocation shows at once.
      const member = this.members(p.peerId)
      return member == null ? [] : [{ ...p, ...member }]
    }).map((p) => ({
      ...p,
      lastSeen: wall - (clock - p.lastSeen),
      firstSeen: wall - (clock - p.firstSeen),
      transport: bestKind(this.node.getConnections(peerIdFromString(p.peerId))),
      rttMs: this.rtt.get(p.peerId),
    }))
    return { self: { peerId: this.node.peerId.toString(), ...this.current() }, peers }
  }

  private tick(): void {
    this.publish('beat')
    // A member revoked or gone since its last beat is no longer tracked.
    for (const p of this.tracker.list()) if (this.members(p.peerId) == null) this.tracker.forget(p.peerId)
    this.tracker.tick(this.now())
    this.emitChange()
    void this.pingPeers()
  }

  private publish(type: 'beat' | 'bye'): void {
    const data = encodeHeartbeat(type, this.current(), Date.now())
    this.node.services.pubsub.publish(this.topic, data).catch(() => {
      // No subscribed peer yet (alone in the room): the next beat will try again.
    })
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== this.topic || msg.type !== 'signed') return
    const beat = decodeHeartbeat(msg.data)
    const from = msg.from.toString()
    if (beat == null || from === this.node.peerId.toString()) return
    const member = this.members(from)
    if (member == null) {
      this.droppedBeats++
      if (this.tracker.forget(from)) this.emitChange()
      return
    }
    if (beat.type === 'bye') this.tracker.leave(from)
    else this.tracker.beat(from, { ...member, root: beat.root }, this.now())
    this.emitChange()
  }

  private readonly onConnectionChange = (): void => {
    this.emitChange()
  }

  /** Pings every known peer we hold a direct connection to; a reply also confirms a suspect. */
  private async pingPeers(): Promise<void> {
    if (this.pinging) return
    this.pinging = true
    try {
      const known = new Set(this.tracker.list().map((p) => p.peerId))
      const targets = this.node.getPeers().filter((p) => known.has(p.toString()))
      await Promise.all(
        targets.map(async (peer) => {
          const id = peer.toString()
          const conns = this.node.getConnections(peer).filter((c) => c.status === 'open' && c.limits == null)
          if (conns.length === 0) return this.rtt.delete(id)
          try {
            const ms = await this.node.services.ping.ping(peer, { signal: AbortSignal.timeout(this.tracker.intervalMs) })
            this.rtt.set(id, Math.round(ms))
            this.tracker.confirm(id, this.now())
          } catch {
            this.rtt.delete(id)
          }
        }),
      )
      this.emitChange()
    } finally {
      this.pinging = false
    }
  }

  /**
   * Reads the announced log root from `source` when a beat goes out or a snapshot is taken,
   * instead of on every stored change (a root is a Merkle root over every author's head).
   */
  trackRoot(source: () => string): void {
    this.rootSource = source
  }

  private current(): PresenceInfo {
    return this.rootSource ? { ...this.self, root: this.rootSource() } : this.self
  }

  /** Updates the log root announced in heartbeats (sent with the next beat, not at once). */
  setRoot(root: string): void {
    if (root === this.self.root) return
    this.self = { ...this.self, root }
    this.emitChange()
  }

  /** Calls `listener` with a fresh snapshot on every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: PresenceSnapshot) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Every beat from every peer is a change; listeners (the UI) get at most one snapshot per
   * EMIT_MS, so a room of 50 peers does not re-render the peers view 25 times a second.
   */
  private emitChange(): void {
    if (this.listeners.size === 0 || this.emitTimer != null) return
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined
      const snap = this.snapshot()
      for (const l of this.listeners) l(snap)
    }, EMIT_MS)
  }
}
