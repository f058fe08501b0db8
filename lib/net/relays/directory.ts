/**
 * The relays a peer knows for its room: records learnt from room info, the cache and relays'
 * answers, with what this peer saw of each (last success, failures, a wrong room). A relay's
 * own answer about itself replaces its addresses; what others say about it only adds addresses
 * in front (a moved relay is tried at its new address first). Relays neither reached nor
 * listed by a reachable relay for `forgetMs` are forgotten. Pure: the clock is passed in.
 */
import type { RelayRecord } from './record'

/** Most addresses kept per relay. */
const MAX_ADDRS = 8
/** Longest pause between two dials of one relay (ms). */
const MAX_BACKOFF_MS = 30_000

export interface KnownRelay {
  record: RelayRecord
  /** Last time this peer was connected to it or a reachable relay listed it. */
  seen: number
  /** Last successful dial or answer. */
  ok: number
  failures: number
  /** Not before this time is it dialled again. */
  nextDial: number
  /** The room it answered with, when that was not ours. */
  wrongRoom?: string
}

export class RelayDirectory {
  private readonly relays = new Map<string, KnownRelay>()

  constructor(
    private readonly self: string | undefined,
    private readonly forgetMs = 10 * 60_000,
  ) {}

  /** Adds what someone else (room info, a cache, another relay) says; returns true if anything changed. */
  learn(records: readonly RelayRecord[], now: number): boolean {
    let changed = false
    for (const r of records) {
      if (r.peerId === this.self) continue
      const known = this.relays.get(r.peerId)
      if (!known) {
        this.relays.set(r.peerId, { record: { ...r, addrs: r.addrs.slice(0, MAX_ADDRS) }, seen: now, ok: 0, failures: 0, nextDial: 0 })
        changed = true
        continue
      }
      known.seen = Math.max(known.seen, now)
      const fresh = r.addrs.filter((a) => !known.record.addrs.includes(a))
      if (fresh.length > 0) {
        known.record = { ...known.record, addrs: [...fresh, ...known.record.addrs].slice(0, MAX_ADDRS) }
        // New addresses are worth a dial now, whatever the backoff said about the old ones.
        known.nextDial = 0
        changed = true
      }
      if (r.http && !known.record.http) known.record = { ...known.record, http: r.http }
    }
    return changed
  }

  /** A relay answered about itself: its addresses are exactly these now. */
  confirm(record: RelayRecord, now: number): boolean {
    if (record.peerId === this.self) return false
    const known = this.relays.get(record.peerId)
    const before = JSON.stringify(known?.record)
    this.relays.set(record.peerId, { record: { ...record, addrs: record.addrs.slice(0, MAX_ADDRS) }, seen: now, ok: now, failures: 0, nextDial: 0 })
    return before !== JSON.stringify(this.relays.get(record.peerId)!.record)
  }

  /** A dial or a connection to `peerId` worked. */
  reached(peerId: string, now: number): void {
    const k = this.relays.get(peerId)
    if (!k) return
    k.ok = k.seen = now
    k.failures = 0
    k.nextDial = 0
    k.wrongRoom = undefined
  }

  /** A dial failed: back off exponentially. */
  failed(peerId: string, now: number): void {
    const k = this.relays.get(peerId)
    if (!k) return
    k.failures++
    k.nextDial = now + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(k.failures, 5))
  }

  /** It serves another room: leave it alone for a long while. */
  wrongRoom(peerId: string, room: string, now: number): void {
    const k = this.relays.get(peerId)
    if (!k) return
    k.wrongRoom = room
    k.nextDial = now + 5 * 60_000
  }

  /** Drops relays not reached nor listed for `forgetMs`; returns true if any went. */
  forgetStale(now: number, keep: (peerId: string) => boolean): boolean {
    let changed = false
    for (const [id, k] of this.relays) {
      if (keep(id) || now - Math.max(k.seen, k.ok) < this.forgetMs) continue
      this.relays.delete(id)
      changed = true
    }
    return changed
  }

  get(peerId: string): KnownRelay | undefined {
    return this.relays.get(peerId)
  }

  has(peerId: string): boolean {
    return this.relays.has(peerId)
  }

  all(): KnownRelay[] {
    return [...this.relays.values()]
  }

  /** Records of relays reached within `withinMs` (what a relay advertises about others). */
  recent(now: number, withinMs: number): RelayRecord[] {
    return this.all()
      .filter((k) => k.wrongRoom == null && now - k.ok < withinMs)
      .map((k) => k.record)
  }

  /** Every record, for a cache. */
  records(): RelayRecord[] {
    return this.all()
      .filter((k) => k.wrongRoom == null)
      .map((k) => k.record)
  }
}
