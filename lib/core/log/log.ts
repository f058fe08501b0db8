/**
 * The replicated event set of one room: signature and admission checks, per-author hash
 * chains, a bounded pending buffer for events whose references are missing, and
 * equivocation evidence (DESIGN §1). `add` never throws on remote input.
 */
import { cidOf, decodeEvent, encodeCanonical } from '../events/codec'
import { MAX_EVENT_BYTES } from '../events/constants'
import type { EncodedEvent } from '../events/envelope'
import type { Verifier } from '../events/signer'
import { verifyInvite } from '../events/verify'
import type { EventId, PeerId, RoomId } from '../ids'
import { admit, referencesOf } from './admission'
import { ByteArena } from './arena'
import { AuthorChains } from './chains'
import { PendingBuffer, type Pending } from './pending'
import { REJECT_REASONS, type AddResult, type RejectReason } from './reasons'
import { DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING_PER_AUTHOR, type AddInput, type EventLogInit, type LogStats } from './options'
import { settle, storedRecord, type Interned } from './record'
import type { LogView, StoredEvent } from './stored'

export { DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING_PER_AUTHOR, type AddInput, type EventLogInit, type LogStats } from './options'

/** Stored: accepted, or kept as equivocation evidence. */
const isStored = (r: AddResult): boolean => r.status === 'accepted' || (r.status === 'rejected' && r.reason === 'equivocation')

/** A decoded event whose signatures are still to be checked. */
interface Prepared {
  enc: EncodedEvent
  signing: Uint8Array
}
interface Signatures {
  sigOk: boolean
  inviteOk: boolean
}

/** The event log of one room. */
export class EventLog implements LogView {
  readonly room: RoomId
  private readonly init: Required<Omit<EventLogInit, 'onStored' | 'onQuarantine' | 'sha256'>> & Pick<EventLogInit, 'onStored' | 'onQuarantine' | 'sha256'>
  private readonly events = new Map<EventId, StoredEvent>()
  private readonly chains = new AuthorChains()
  private readonly arena = new ByteArena()
  private readonly pending: PendingBuffer
  private readonly counts: LogStats = Object.fromEntries(
    ['accepted', 'duplicate', 'pending', ...REJECT_REASONS].map((k) => [k, 0]),
  ) as LogStats
  private topLamport = 0

  constructor(init: EventLogInit) {
    this.room = init.room
    // `??` rather than a spread, so an explicit `undefined` keeps the default.
    this.init = {
      ...init,
      now: init.now ?? (() => Date.now()),
      maxClockSkewMs: init.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
      maxPending: init.maxPending ?? DEFAULT_MAX_PENDING,
      maxPendingPerAuthor: init.maxPendingPerAuthor ?? DEFAULT_MAX_PENDING_PER_AUTHOR,
    }
    this.pending = new PendingBuffer(this.init.maxPending, this.init.maxPendingPerAuthor, (a) => this.chains.has(a))
  }

  /**
   * Add an event from the network or from local authoring. Never throws. `signedHere`: the
   * event's own signature was just made with a key this process has already proven against its
   * author (the replica authoring it), so verifying it again is skipped; an invite is still checked.
   */
  async add(input: AddInput, signedHere = false): Promise<AddResult> {
    try {
      const p = this.prepare(input)
      if ('status' in p) return p
      const sigs = this.checkSignatures(p, signedHere)
      return this.finish(p, sigs instanceof Promise ? await sigs : sigs)
    } catch (e) {
      return this.internalError(e)
    }
  }

  /** A bug here must not take down a gossip validator; it is counted and reported. */
  private internalError(e: unknown): AddResult {
    return this.count({ status: 'rejected', reason: 'malformed', detail: `internal error: ${(e as Error).message}` })
  }

  /** Everything before the signature: the outcome if already known, else the decoded event. */
  private prepare(input: AddInput): AddResult | Prepared {
    let bytes: Uint8Array
    try {
      bytes = input instanceof Uint8Array ? input : 'bytes' in input && input.bytes instanceof Uint8Array ? input.bytes : encodeCanonical(input)
    } catch {
      return this.count({ status: 'rejected', reason: 'malformed', detail: 'not encodable' })
    }
    if (bytes.length > MAX_EVENT_BYTES) return this.count({ status: 'rejected', reason: 'oversized', detail: `${bytes.length} bytes` })
    // The id is the hash of the bytes, and only canonical bytes are ever stored or parked, so a
    // re-offered event (gossip duplicates, sync over-sends) is known before any decoding.
    const id = cidOf(bytes, this.init.sha256)
    if (this.events.has(id) || this.pending.has(id)) return this.count({ status: 'duplicate', id })
    const decoded = decodeEvent(bytes, id)
    if (!decoded.ok) return this.count({ status: 'rejected', reason: decoded.reason, detail: decoded.detail })
    const { value: enc, signing } = decoded
    const { event } = enc
    const wrongRoom = event.kind === 'room.created' ? id !== this.room : event.room !== this.room
    if (wrongRoom) return this.count({ status: 'rejected', reason: 'wrong_room', detail: `not room ${this.room}`, id })
    return { enc, signing }
  }

  /**
   * The event's signature, then (only if it holds) its invite's. Synchronous when the verifier
   * answers synchronously (node:crypto), so the common case allocates no promise.
   */
  private checkSignatures({ enc: { event }, signing }: Prepared, signedHere: boolean): Signatures | Promise<Signatures> {
    const afterSig = (ok: boolean): Signatures | Promise<Signatures> => {
      if (!ok) return { sigOk: false, inviteOk: false }
      const invite = event.kind === 'member.joined' ? event.payload.invite : undefined
      return invite ? verifyInvite(invite, this.init.verifier).then((inviteOk) => ({ sigOk: true, inviteOk })) : { sigOk: true, inviteOk: true }
    }
    const ok = signedHere || this.verify(event.author, signing, event.sig)
    return typeof ok === 'boolean' ? afterSig(ok) : ok.then(afterSig)
  }

  /** Everything after the signature checks. */
  private finish({ enc }: Prepared, { sigOk, inviteOk }: Signatures): AddResult {
    const { id, event } = enc
    if (!sigOk) return this.count({ status: 'rejected', reason: 'bad_signature', detail: `not signed by ${event.author}`, id })
    // Verdicts that depend on the event alone are given before parking, so orphans that can
    // never become valid do not take pending space.
    if (!inviteOk) return this.count({ status: 'rejected', reason: 'invalid_invite', detail: 'the invite signature does not verify', id })
    if (event.seq === 1 && event.kind !== 'member.joined' && event.kind !== 'room.created') {
      return this.count({ status: 'rejected', reason: 'not_member', detail: 'an author starts with a join', id })
    }
    // Another add may have stored or parked the same event while we awaited the signature.
    if (this.events.has(id) || this.pending.has(id)) return this.count({ status: 'duplicate', id })

    const missing = referencesOf(event, this.room).filter((r) => !this.events.has(r))
    if (missing.length > 0) return this.park({ enc, inviteOk, missing: new Set(missing) })
    return this.count(this.admitAndRelease(enc, inviteOk))
  }

  /** The verifier's answer; false if it throws or rejects. */
  private verify(author: PeerId, bytes: Uint8Array, sig: Uint8Array): boolean | Promise<boolean> {
    try {
      const r = this.init.verifier.verify(author, bytes, sig)
      return typeof r === 'boolean' ? r : Promise.resolve(r).then((v) => v === true, () => false)
    } catch {
      return false
    }
  }

  private park(p: Pending): AddResult {
    if (!this.pending.park(p)) {
      const detail = `${this.pending.countOf(p.enc.event.author)} pending from ${p.enc.event.author}, ${this.pending.size} in all`
      return this.count({ status: 'rejected', reason: 'pending_overflow', detail, id: p.enc.id })
    }
    return this.count({ status: 'pending', id: p.enc.id, missing: [...p.missing] })
  }

  /**
   * Admit an event whose references are present, then release what waited on it. Events that
   * waited on a rejected event can never be admitted, so they are rejected too and leave the
   * buffer at once (otherwise a chain built on one invalid event would hold pending space).
   */
  private admitAndRelease(enc: EncodedEvent, inviteOk: boolean): AddResult {
    const first = this.admitOne(enc, inviteOk)
    const stored: EventId[] = []
    const dropped: [EventId, RejectReason][] = []
    const follow = (id: EventId, r: AddResult) => {
      if (isStored(r)) stored.push(id)
      else if (r.status === 'rejected') dropped.push([id, r.reason])
    }
    follow(enc.id, first)
    while (stored.length > 0 || dropped.length > 0) {
      const drop = dropped.pop()
      if (drop) {
        for (const p of this.pending.takeWaiters(drop[0])) {
          this.pending.unpark(p)
          this.count({ status: 'rejected', reason: drop[1], detail: `references rejected ${drop[0]}`, id: p.enc.id })
          dropped.push([p.enc.id, drop[1]])
        }
        continue
      }
      const id = stored.shift() as EventId
      for (const p of this.pending.takeWaiters(id)) {
        p.missing.delete(id)
        if (p.missing.size > 0) continue
        this.pending.unpark(p)
        follow(p.enc.id, this.count(this.admitOne(p.enc, p.inviteOk)))
      }
    }
    return first
  }

  private admitOne(enc: EncodedEvent, inviteOk: boolean): AddResult {
    const a = admit(enc.id, enc.event, this, inviteOk)
    if (!a.ok) return { status: 'rejected', reason: a.reason, detail: a.detail, id: enc.id }
    // Checked last, so an event refused only for its time has passed every other check: what a
    // host holds until it is due is signed by a member allowed to write it.
    if (enc.event.time > this.init.now() + this.init.maxClockSkewMs) {
      return { status: 'rejected', reason: 'clock_ahead', detail: `time ${enc.event.time}`, id: enc.id }
    }
    const stored = storedRecord(enc, this.intern(enc.event), a.roleAfter, this.arena)
    this.events.set(enc.id, stored)
    this.topLamport = Math.max(this.topLamport, enc.event.lamport)
    const forked = this.chains.add(stored)
    try {
      this.init.onStored?.(stored)
    } finally {
      settle(stored)
    }
    if (forked) {
      // Both events stay as evidence; the author is quarantined from the lowest forked seq.
      const { author, seq } = enc.event
      if (this.chains.quarantine(author, seq)) this.init.onQuarantine?.(author, seq)
      return { status: 'rejected', reason: 'equivocation', detail: `two events at seq ${seq} by ${author}`, id: enc.id }
    }
    return { status: 'accepted', id: enc.id }
  }

  /**
   * The event's references as the id strings the log already holds (its referenced events are
   * all stored by now) and its author as the chain's: the decoder made a fresh copy of each,
   * ~80 B apiece and up to 10 per event. Equal strings, so nothing else changes.
   */
  private intern(event: EncodedEvent['event']): Interned {
    const idOf = (id: EventId) => (this.events.get(id) as StoredEvent).id
    return {
      room: event.room === this.room ? this.room : event.room,
      author: this.chains.latestOf(event.author)?.event.author ?? event.author,
      prev: event.prev && idOf(event.prev),
      deps: event.deps.map(idOf),
    }
  }

  private count(r: AddResult): AddResult {
    this.counts[r.status === 'rejected' ? r.reason : r.status]++
    return r
  }

  /** A stored event by id. */
  get(id: EventId): StoredEvent | undefined {
    return this.events.get(id)
  }

  /** True if the event is stored (not merely pending). */
  has(id: EventId): boolean {
    return this.events.has(id)
  }

  /** Number of stored events. */
  get size(): number {
    return this.events.size
  }

  /** All stored events, in storage order. */
  all(): StoredEvent[] {
    return [...this.events.values()]
  }

  /** Highest Lamport clock stored. */
  get maxLamport(): number {
    return this.topLamport
  }

  /** An author's stored event with the highest Lamport clock. */
  latestOf(author: PeerId): StoredEvent | undefined {
    return this.chains.latestOf(author)
  }

  /** Authors that have stored events. */
  authors(): PeerId[] {
    return this.chains.authors()
  }

  /** An author's stored events with seq > `afterSeq`, by (seq, id): what a peer at `afterSeq` lacks. */
  eventsAfter(author: PeerId, afterSeq: number): StoredEvent[] {
    return this.chains.eventsAfter(author, afterSeq)
  }

  /** The ids stored at one (author, seq), sorted. */
  idsAt(author: PeerId, seq: number): EventId[] {
    return this.chains.idsAt(author, seq)
  }

  /** Highest stored seq of an author (0 if none). */
  topSeq(author: PeerId): number {
    return this.chains.topSeq(author)
  }

  /** Quarantined authors and the seq their equivocation starts at. */
  quarantined(): ReadonlyMap<PeerId, number> {
    return this.chains.quarantined()
  }

  /** Ids referenced by pending events and not stored: what to fetch from peers. */
  missing(): EventId[] {
    return this.pending.missing()
  }

  /**
   * Signature-checked events still waiting for references, oldest first (optionally of one
   * author). A peer may hold the references: anti-entropy offers these too.
   */
  pendingEvents(author?: PeerId): EncodedEvent[] {
    return this.pending.list(author).map((p) => p.enc)
  }

  /** Parked events evicted to make room for others, since start. */
  get pendingEvicted(): number {
    return this.pending.evicted
  }

  /** Number of events waiting for references. */
  get pendingCount(): number {
    return this.pending.size
  }

  /** Counters of add outcomes, by status and rejection reason. */
  stats(): Readonly<LogStats> {
    return { ...this.counts }
  }
}
