/**
 * Presence over gossipsub (DESIGN §3): publishes this peer's heartbeat on the room's presence
 * topic every interval — a longer one as the room grows (pace.ts, ADR 0092), named in the beat
 * so that others judge its silence by it — feeds received beats into a PresenceTracker, pings directly connected
 * peers whose beats are late (probe.ts: an answer confirms them), and emits a snapshot on every
 * change.
 *
 * A beat counts only from a member, under the member key that signed it (message.ts; gossip
 * messages carry no libp2p signature, ADR 0075): anyone can mint a key and beat, so a
 * non-member is neither listed nor counted for the partition banner, and who a peer is (name,
 * kind, role) is read from the room's log, never from what its beat claims. Beats are checked
 * in the topic's validator, so a forged one stops at the first honest peer and lowers the
 * score of the peer that sent it. The cost is bounded before any signature work: only beats
 * naming a current member are verified, at most BEATS_PER_INTERVAL per (forwarder, member),
 * and only beats newer than that member's last counted one (a replay is never verified). A hub
 * forwards what it accepts in windows (`forwardWindowMs`), so a beat costs it no write of its own.
 */
import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import type { Ping } from '@libp2p/ping'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Signer, Verifier } from '../../core/events/signer'
import { PresenceTracker, type PeerPresence, type PresenceInfo, type PresenceStatus } from '../../core/presence/tracker'
import { beatInterval, credibleInterval, MAX_BEAT_INTERVAL_MS, type PaceOptions } from '../../core/presence/pace'
import { presenceTopic } from '../topics'
import { bestKind, type TransportKind } from '../transport-kind'
import { stallAware } from '../clock'
import { libp2pVerifier } from '../keys'
import { Batch } from './batch'
import { decodeHeartbeat, encodeHeartbeat, verifyHeartbeat } from './message'
import { LateProbe } from './probe'

const EMIT_MS = 100
/** Beats verified per (forwarder, member) per interval: one beat, an update, a goodbye, slack. */
const BEATS_PER_INTERVAL = 4

export type PresenceNode = Libp2p<{ pubsub: GossipSub; ping: Ping }>

/** One row of the peers view: presence plus what the connection layer knows. */
export interface PeerRow extends PeerPresence {
  transport: TransportKind
  /** Round-trip time of the direct connection (ms): the connection monitor's, else the late-peer probe's last ping. */
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
  /** Signs this peer's beats: the member key it authors events with. */
  signer: Signer
  /** Checks members' beats. @default libp2pVerifier() */
  verifier?: Verifier
  /**
   * Who the room's log says `peerId` is, or undefined when it is not a member (never joined,
   * left, revoked): see memberPresence (members.ts).
   */
  members: (peerId: string) => MemberInfo | undefined
  /** Peers tracked at most (PresenceTracker's maxPeers). @default 1000 */
  maxPeers?: number
  /** The room's heartbeat interval (ms): a small room's pace, and how often status is judged. @default 2000 */
  intervalMs?: number
  /** How the pace grows with the peers heard (pace.ts); a relay keeps the room's interval. */
  pace?: PaceOptions
  suspectAfter?: number
  deadAfter?: number
  /** A hub forwards the beats it accepts within this many ms together, one write per subscriber (batch.ts). @default 0 (each at once) */
  forwardWindowMs?: number
  /**
   * The tracker's clock (tests inject one). @default a stall-aware monotonic clock (clock.ts):
   * time this process was not running does not make the others miss beats.
   */
  now?: () => number
}

/** See the module comment. Create, `start()`, `subscribe(listener)`, `stop()`. */
export class PresenceService {
  private readonly node: PresenceNode
  private readonly room: string
  private readonly topic: string
  private readonly signer: Signer
  private readonly verifier: Verifier
  /** Each member's newest counted beat time (its own clock): older beats are replays. */
  private readonly lastBeat = new Map<string, number>()
  /** Beats verified this interval, per forwarder and member. */
  private readonly spent = new Map<string, number>()
  private readonly tracker: PresenceTracker
  private readonly now: () => number
  private self: PresenceInfo
  private timer?: ReturnType<typeof setInterval>
  private readonly pace: PaceOptions
  /** Ticks until this peer's next beat. */
  private beatIn = 0
  /** The pace announced with the last beat (ms). */
  private announced: number
  private readonly probe: LateProbe
  private readonly forwards?: Batch
  private readonly listeners = new Set<(snapshot: PresenceSnapshot) => void>()
  private emitTimer?: ReturnType<typeof setTimeout>
  private rootSource?: () => string
  private readonly members: (peerId: string) => MemberInfo | undefined
  /** Beats dropped because the key they name is not a member. */
  droppedBeats = 0
  /** Beats whose signature is not the named member's (forged, or altered on the way). */
  forgedBeats = 0
  /** Beats dropped unverified: over a forwarder's budget for that member, or not newer than its last. */
  skippedBeats = 0
  /** Beats whose signature was checked and held (each one Ed25519 verify). */
  verifiedBeats = 0

  constructor(node: PresenceNode, init: PresenceServiceInit) {
    this.node = node
    this.room = init.room
    this.topic = presenceTopic(init.room)
    this.signer = init.signer
    this.verifier = init.verifier ?? libp2pVerifier()
    this.self = init.self
    this.members = init.members
    // Status is judged every room interval whatever this peer's pace, so the clock is read that often.
    this.now = init.now ?? stallAware(2 * (init.intervalMs ?? 2000))
    this.pace = init.pace ?? {}
    this.tracker = new PresenceTracker({
      intervalMs: init.intervalMs ?? 2000,
      suspectAfter: init.suspectAfter,
      deadAfter: init.deadAfter,
      maxPeers: init.maxPeers,
      maxIntervalMs: Math.max(MAX_BEAT_INTERVAL_MS, this.pace.maxMs ?? 0),
    })
    this.announced = this.tracker.intervalMs
    this.probe = new LateProbe(node, this.tracker, this.now)
    if (init.forwardWindowMs != null && init.forwardWindowMs > 0) this.forwards = new Batch(init.forwardWindowMs)
  }

  start(): void {
    this.node.services.pubsub.topicValidators.set(this.topic, this.validate)
    this.node.services.pubsub.subscribe(this.topic)
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
    if (this.node.services.pubsub.topicValidators.get(this.topic) === this.validate) this.node.services.pubsub.topicValidators.delete(this.topic)
    this.node.removeEventListener('connection:open', this.onConnectionChange)
    this.node.removeEventListener('connection:close', this.onConnectionChange)
    this.forwards?.release()
    this.publish('bye')
  }

  /** Changes what this peer says about itself (display name, root …) and beats at once. */
  update(patch: Partial<PresenceInfo>): void {
    this.self = { ...this.self, ...patch }
    this.publish('beat')
    this.emitChange()
  }

  /** The interval this peer's last beat promised its next one within (ms). */
  get paceMs(): number {
    return this.announced
  }

  /** A peer's presence status (undefined if never heard), without building a snapshot. */
  status(peerId: string): PresenceStatus | undefined {
    return this.tracker.status(peerId)
  }

  /** A peer's status judged against the latest beat from anyone (the tracker's `statusVsRoom`). */
  statusVsRoom(peerId: string): PresenceStatus | undefined {
    return this.tracker.statusVsRoom(peerId)
  }

  /** A peer's status against the room, patient with a peer whose beats run late (the tracker's `statusAllowingLate`). */
  statusAllowingLate(peerId: string): PresenceStatus | undefined {
    return this.tracker.statusAllowingLate(peerId)
  }

  snapshot(): PresenceSnapshot {
    // The tracker's times are on its own clock; the view shows wall times (after a stall of this
    // process, "last seen" then reads as recent as the beats this process could not read).
    const [clock, wall] = [this.now(), Date.now()]
    const peers = this.tracker.list().flatMap((p) => {
      // Read at every snapshot, so a rename or a revocation shows at once.
      const member = this.members(p.peerId)
      return member == null ? [] : [{ ...p, ...member }]
    }).map((p) => {
      const conns = this.node.getConnections(peerIdFromString(p.peerId))
      return {
        ...p,
        lastSeen: wall - (clock - p.lastSeen),
        firstSeen: wall - (clock - p.firstSeen),
        transport: bestKind(conns),
        rttMs: this.probe.rttMs(p.peerId, conns),
      }
    })
    return { self: { peerId: this.node.peerId.toString(), ...this.current() }, peers }
  }

  private tick(): void {
    if (--this.beatIn <= 0) this.publish('beat')
    // A member revoked or gone since its last beat is no longer tracked.
    for (const p of this.tracker.list()) if (this.members(p.peerId) == null) this.tracker.forget(p.peerId)
    for (const id of this.lastBeat.keys()) if (this.members(id) == null) this.lastBeat.delete(id)
    this.spent.clear()
    this.tracker.tick(this.now())
    this.emitChange()
    void this.probe.run().then((ran) => ran && this.emitChange())
  }

  private publish(type: 'beat' | 'bye'): void {
    // A relay's beats stay at the room's interval: a room has a few relays, so they cost each
    // peer a few beats per interval whatever its size, and agents move off a relay whose beats
    // stop (ADR 0029) after three of them.
    const base = this.tracker.intervalMs
    const every = this.self.kind === 'relay' ? base : beatInterval(base, this.tracker.heard, this.pace)
    this.announced = every
    this.beatIn = Math.round(every / base)
    encodeHeartbeat(this.signer, this.room, type, this.current(), Date.now(), every === base ? undefined : every)
      .then((data) => this.node.services.pubsub.publish(this.topic, data))
      .catch(() => {
        // No subscribed peer yet (alone in the room): the next beat will try again.
      })
  }

  /**
   * The presence topic's validator (see the module comment). Ignore, not Reject, for what an
   * honest forwarder may pass on: a beat from a key whose join this peer has not folded yet,
   * a copy over budget, an older beat.
   */
  private readonly validate = async (forwarder: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    const h = decodeHeartbeat(this.room, msg.data)
    if (h == null) return TopicValidatorResult.Reject
    const from = h.beat.from
    if (from === this.node.peerId.toString()) return TopicValidatorResult.Ignore
    if (this.members(from) == null) {
      this.droppedBeats++
      if (this.tracker.forget(from)) this.emitChange()
      return TopicValidatorResult.Ignore
    }
    const key = `${forwarder.toString()}\n${from}`
    const spent = this.spent.get(key) ?? 0
    if (spent >= BEATS_PER_INTERVAL || h.beat.time <= (this.lastBeat.get(from) ?? -1)) {
      this.skippedBeats++
      return TopicValidatorResult.Ignore
    }
    this.spent.set(key, spent + 1)
    if (!(await verifyHeartbeat(this.verifier, h))) {
      this.forgedBeats++
      return TopicValidatorResult.Reject
    }
    this.verifiedBeats++
    // Read again after the await: a newer beat may have counted, or the member left, meanwhile.
    const member = this.members(from)
    if (member == null || h.beat.time <= (this.lastBeat.get(from) ?? -1)) return TopicValidatorResult.Ignore
    this.lastBeat.set(from, h.beat.time)
    if (h.beat.type === 'bye') this.tracker.leave(from)
    else this.tracker.beat(from, { ...member, root: h.beat.root }, this.now(), credibleInterval(h.beat.every, this.tracker.intervalMs, this.tracker.heard, this.pace))
    this.emitChange()
    // Counted at once; only the forward waits for the window's other beats, and a member
    // revoked meanwhile is not forwarded.
    await this.forwards?.wait()
    return this.members(from) == null ? TopicValidatorResult.Ignore : TopicValidatorResult.Accept
  }

  private readonly onConnectionChange = (): void => {
    this.emitChange()
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
