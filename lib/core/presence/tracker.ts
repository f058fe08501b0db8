/**
 * Presence status from heartbeats (DESIGN §3, SWIM/Lifeguard style without the gossip of
 * suspicions): a peer is `alive` while its beats arrive, `suspect` after `suspectAfter` missed
 * beats, `dead` after `deadAfter` missed beats, `left` once it said goodbye. Beats are missed in
 * the interval the peer's last beat named (its pace grows with the room, pace.ts). A direct ping that
 * answers (`confirm`) counts as a beat, so a peer whose gossip path is broken but which is
 * still reachable is not declared dead. Pure: the caller passes the clock.
 */
import { MAX_BEAT_INTERVAL_MS } from './pace'

export type PresenceStatus = 'alive' | 'suspect' | 'dead' | 'left'
export type PeerKind = 'human' | 'agent' | 'relay'

/** What a heartbeat says about its sender. */
export interface PresenceInfo {
  name: string
  kind: PeerKind
  role: string
  /** The sender's log summary root, when it has a log (what "in sync" is judged by). */
  root?: string
}

/** One peer as this replica sees it. */
export interface PeerPresence extends PresenceInfo {
  peerId: string
  status: PresenceStatus
  /** Local clock (ms) when the last beat or confirmation arrived. */
  lastSeen: number
  /** Local clock (ms) of the first beat. */
  firstSeen: number
  beats: number
}

export interface PresenceTrackerInit {
  /** Expected interval between a peer's heartbeats (ms), for a peer whose beats name none. */
  intervalMs: number
  /** The longest interval a beat may name; a longer one is read as this (ms). @default MAX_BEAT_INTERVAL_MS */
  maxIntervalMs?: number
  /** Missed beats before `suspect`. @default 3 */
  suspectAfter?: number
  /** Missed beats before `dead`. @default 8 */
  deadAfter?: number
  /**
   * Peers remembered at most. A new peer beyond it takes the place of the one gone longest
   * (left or dead); while every remembered peer is alive or suspect it is not tracked. @default 1000
   */
  maxPeers?: number
}

/** A status change produced by `beat`, `confirm`, `leave` or `tick`. */
export interface PresenceChange {
  peerId: string
  from: PresenceStatus | undefined
  to: PresenceStatus
}

/** A tracked peer: its record, and the interval its last beat said its next one comes within (ms); missed beats count in it. */
interface Tracked extends PeerPresence {
  intervalMs: number
}

/** Tracks presence of remote peers from heartbeats; see the module comment. */
export class PresenceTracker {
  readonly intervalMs: number
  readonly suspectAfter: number
  readonly deadAfter: number
  readonly maxPeers: number
  readonly maxIntervalMs: number
  /** Beats of new peers not tracked because every place was taken by a live peer. */
  refused = 0
  private readonly peers = new Map<string, Tracked>()
  /** Local clock of the latest beat or confirmation from anyone. */
  private freshest = Number.NEGATIVE_INFINITY
  /**
   * Per peer, the longest recent gap between two of its beats (ms), forgotten by half an
   * interval per beat since: how late this peer's beats run while it is working.
   */
  private readonly slowGaps = new Map<string, number>()

  constructor(init: PresenceTrackerInit) {
    if (!(init.intervalMs > 0)) throw new RangeError('intervalMs must be > 0')
    this.intervalMs = init.intervalMs
    this.suspectAfter = init.suspectAfter ?? 3
    this.deadAfter = init.deadAfter ?? 8
    this.maxPeers = init.maxPeers ?? 1000
    this.maxIntervalMs = Math.max(this.intervalMs, init.maxIntervalMs ?? MAX_BEAT_INTERVAL_MS)
    if (!(this.maxPeers >= 1)) throw new RangeError('maxPeers must be ≥ 1')
    if (this.deadAfter <= this.suspectAfter) throw new RangeError('deadAfter must exceed suspectAfter')
  }

  /**
   * Records a heartbeat; returns the status change it caused, if any. `intervalMs` is what the
   * beat says of its sender's pace (its next beat comes within it), kept between the tracker's
   * interval and `maxIntervalMs`; without it the tracker's interval applies.
   */
  beat(peerId: string, info: PresenceInfo, now: number, intervalMs?: number): PresenceChange | undefined {
    const known = this.peers.get(peerId)
    if (known == null && this.peers.size >= this.maxPeers && !this.evictGone(now)) {
      this.refused++
      return undefined
    }
    const from = known?.status
    this.freshest = Math.max(this.freshest, now)
    if (known != null && known.status !== 'left') {
      // Judged by the pace the previous beat announced: this gap is what that beat promised.
      const gap = Math.max(now - known.lastSeen, (this.slowGaps.get(peerId) ?? 0) - known.intervalMs / 2)
      if (gap > known.intervalMs) this.slowGaps.set(peerId, gap)
      else this.slowGaps.delete(peerId)
    }
    this.peers.set(peerId, {
      ...info,
      peerId,
      status: 'alive',
      intervalMs: Math.min(this.maxIntervalMs, Math.max(this.intervalMs, intervalMs ?? this.intervalMs)),
      lastSeen: now,
      firstSeen: known?.firstSeen ?? now,
      beats: (known?.beats ?? 0) + 1,
    })
    return from === 'alive' ? undefined : { peerId, from, to: 'alive' }
  }

  /** A direct ping answered: the peer is reachable even if its beats are not getting through. */
  confirm(peerId: string, now: number): PresenceChange | undefined {
    const known = this.peers.get(peerId)
    if (known == null || known.status === 'left') return undefined
    const from = known.status
    known.lastSeen = now
    this.freshest = Math.max(this.freshest, now)
    known.status = 'alive'
    return from === 'alive' ? undefined : { peerId, from, to: 'alive' }
  }

  /** The peer said goodbye; it stays listed as `left` until it beats again. */
  leave(peerId: string): PresenceChange | undefined {
    const known = this.peers.get(peerId)
    if (known == null || known.status === 'left') return undefined
    const from = known.status
    known.status = 'left'
    return { peerId, from, to: 'left' }
  }

  /** Stops tracking a peer (it is no longer a member). */
  forget(peerId: string): boolean {
    this.slowGaps.delete(peerId)
    return this.peers.delete(peerId)
  }

  /** Number of peers tracked. */
  get size(): number {
    return this.peers.size
  }

  /** Peers tracked as alive or suspect (as of the last `tick`): the room this peer hears. */
  get heard(): number {
    let n = 0
    for (const p of this.peers.values()) if (p.status === 'alive' || p.status === 'suspect') n++
    return n
  }

  /** The interval a peer's beats are judged by (ms): the one its last beat named, else the tracker's. */
  intervalOf(peerId: string): number {
    return this.peers.get(peerId)?.intervalMs ?? this.intervalMs
  }

  /** Removes the peer gone longest (left, or dead by `now`); false if every peer is live. */
  private evictGone(now: number): boolean {
    let oldest: Tracked | undefined
    for (const p of this.peers.values()) {
      const gone = p.status === 'left' || this.statusAt(p, now) === 'dead'
      if (gone && (oldest == null || p.lastSeen < oldest.lastSeen)) oldest = p
    }
    if (oldest == null) return false
    this.forget(oldest.peerId)
    return true
  }

  /** Re-evaluates every peer against the clock; returns the changes. */
  tick(now: number): PresenceChange[] {
    const changes: PresenceChange[] = []
    for (const p of this.peers.values()) {
      if (p.status === 'left') continue
      const next = this.statusAt(p, now)
      if (next !== p.status) {
        changes.push({ peerId: p.peerId, from: p.status, to: next })
        p.status = next
      }
    }
    return changes
  }

  /** Missed beats since the last one, as a whole number. */
  missed(peerId: string, now: number): number {
    const p = this.peers.get(peerId)
    return p == null ? 0 : Math.max(0, Math.floor((now - p.lastSeen) / p.intervalMs))
  }

  /** The peer's status, without copying its record (duties ask this per candidate per tick). */
  status(peerId: string): PresenceStatus | undefined {
    return this.peers.get(peerId)?.status
  }

  /**
   * The peer's status judged against the room rather than the clock: its beats missed up to the
   * latest beat heard from *anyone*. When every beat is late together — this process fell
   * behind on its sockets, or the relay they all pass through stalled — nobody is late compared
   * to the others; a peer that stopped while others kept beating is. Undefined if never heard.
   */
  statusVsRoom(peerId: string): PresenceStatus | undefined {
    const p = this.peers.get(peerId)
    if (p == null || p.status === 'left') return p?.status
    return this.statusAt(p, this.freshest)
  }

  /**
   * `statusVsRoom`, but a peer whose beats have lately run late by up to some gap is suspected
   * only once its silence exceeds that gap by an interval (still dead after `deadAfter` beats):
   * a peer whose process is starved keeps beating, late, and is as likely to be working as a
   * prompt one, while a crashed peer that beat on time is suspected after one interval. Duties
   * judge candidates by it, so a slow elected emitter is not overtaken on every late beat.
   */
  statusAllowingLate(peerId: string): PresenceStatus | undefined {
    const p = this.peers.get(peerId)
    if (p == null || p.status === 'left') return p?.status
    const silent = this.freshest - p.lastSeen
    if (silent >= this.deadAfter * p.intervalMs) return 'dead'
    const patience = Math.max(this.suspectAfter * p.intervalMs, (this.slowGaps.get(peerId) ?? 0) + p.intervalMs)
    return silent >= patience ? 'suspect' : 'alive'
  }

  get(peerId: string): PeerPresence | undefined {
    const p = this.peers.get(peerId)
    return p == null ? undefined : record(p)
  }

  /** All known peers, sorted by name then id so lists are stable. */
  list(): PeerPresence[] {
    return [...this.peers.values()]
      .map(record)
      .sort((a, b) => a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId))
  }

  private statusAt(p: Tracked, now: number): PresenceStatus {
    const missed = Math.floor((now - p.lastSeen) / p.intervalMs)
    if (missed >= this.deadAfter) return 'dead'
    if (missed >= this.suspectAfter) return 'suspect'
    return 'alive'
  }
}

/** A copy of a tracked peer's record, as callers see it. */
function record(p: Tracked): PeerPresence {
  const { intervalMs: _, ...out } = p
  return out
}
