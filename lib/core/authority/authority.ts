/**
 * The authority index of a replica (ADR 0065): gathers the events standing depends on as they
 * are stored, re-evaluates standing when one of them (or a join's first witness, or a fork)
 * arrives, and reports which already-folded events changed verdict so the fold replays from
 * the earliest of them. The fold asks it whether an event counts at all, whether a join
 * admits, and whether a revocation takes effect.
 */
import type { EventId, PeerId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { foldOrder, insertionIndex } from '../state/order'
import { PastIndex, type CausalView } from './causal'
import { Membership, type MemberFacts } from './members'
import { evaluateStanding, inviteKey, JOIN_WITNESS_GRACE_MS, type Of, type Standing } from './standing'

/** What the fold asks of authority. */
export interface AuthorityFacts {
  /** False if the event has no effect at all: its author was cut off before it. */
  counts(e: StoredEvent): boolean
  /** Why a join admits nobody, if it does not. */
  joinVoid(id: EventId): string | undefined
  /** True if a revocation or invite revocation takes no effect. */
  actVoid(id: EventId): boolean
  /** Author and seq of a stored event (what a citation in `deps` points at). */
  refOf(id: EventId): { author: PeerId; seq: number } | undefined
}

/** Facts for a fold without an authority index (tests of the reducer alone): everything counts. */
export const EVERYTHING_COUNTS: AuthorityFacts = { counts: () => true, joinVoid: () => undefined, actVoid: () => false, refOf: () => undefined }

/** The log as the authority index reads it. */
export interface AuthorityView extends CausalView {
  quarantined(): ReadonlyMap<PeerId, number>
  latestOf(author: PeerId): StoredEvent | undefined
}

const EMPTY: Standing = { cuts: new Map(), voidJoins: new Map(), voidActs: new Set() }

/** See the module comment. */
export class Authority implements AuthorityFacts {
  private owner: PeerId | null = null
  private created: Of<'room.created'> | undefined
  private readonly renames = new Map<PeerId, Of<'member.renamed'>[]>()
  /** Answers of `member`, dropped whenever a membership event or a verdict changes. */
  private membership: Membership | undefined
  private readonly joins = new Map<PeerId, Of<'member.joined'>[]>()
  private readonly joinOrder: Of<'member.joined'>[] = []
  private readonly leaves = new Map<PeerId, Of<'member.left'>[]>()
  private readonly revocations: Of<'member.revoked'>[] = []
  private readonly inviteRevocations = new Map<string, Of<'invite.revoked'>[]>()
  private readonly witness = new Map<EventId, number>()
  /** Joins with an invite that nobody else has cited yet. */
  private readonly unwitnessed = new Set<Of<'member.joined'>>()
  private readonly past: PastIndex
  private standing: Standing = EMPTY

  constructor(private readonly view: AuthorityView) {
    this.past = new PastIndex(view)
  }

  counts(e: StoredEvent): boolean {
    const cut = this.standing.cuts.get(e.event.author)
    return cut === undefined || e.event.seq <= cut
  }

  joinVoid(id: EventId): string | undefined {
    return this.standing.voidJoins.get(id)
  }

  actVoid(id: EventId): boolean {
    return this.standing.voidActs.has(id)
  }

  refOf(id: EventId): { author: PeerId; seq: number } | undefined {
    const e = this.view.get(id)?.event
    return e && { author: e.author, seq: e.seq }
  }

  /** The fold's member record for `peer`, read without the fold (members.ts). */
  member(peer: PeerId): MemberFacts | undefined {
    this.membership ??= new Membership({
      created: this.created,
      joins: this.joins,
      leaves: this.leaves,
      renames: this.renames,
      joinOrder: this.joinOrder,
      revocations: this.revocations,
      forks: this.view.quarantined(),
      counts: (e) => this.counts(e),
      joinVoid: (id) => this.joinVoid(id),
      actVoid: (id) => this.actVoid(id),
    })
    return this.membership.of(peer)
  }

  /**
   * The heads of members whose join nobody else has cited yet: an author cites them so that a
   * join's first witness is the real time it was seen, even when the join carries an old
   * Lamport clock that would keep it out of the highest heads.
   */
  toWitness(): EventId[] {
    const out: EventId[] = []
    for (const j of this.unwitnessed) {
      const head = this.view.latestOf(j.event.author)
      if (head) out.push(head.id)
    }
    return out
  }

  /** Records a newly stored event; returns the stored events whose verdict changed. */
  observe(e: StoredEvent): StoredEvent[] {
    let dirty = this.witnessFrom(e)
    const ev = e.event
    switch (ev.kind) {
      case 'room.created':
        this.owner = ev.author
        this.created = e as Of<'room.created'>
        this.membership = undefined
        return []
      case 'member.renamed':
        insertBySeq(this.renames, ev.author, e as Of<'member.renamed'>)
        this.membership = undefined
        break
      case 'member.joined':
        this.membership = undefined
        insertBySeq(this.joins, ev.author, e as Of<'member.joined'>)
        this.joinOrder.splice(insertionIndex(this.joinOrder, e), 0, e as Of<'member.joined'>)
        if (ev.payload.invite && !this.witness.has(e.id)) this.unwitnessed.add(e as Of<'member.joined'>)
        dirty = true
        break
      case 'member.left':
        this.membership = undefined
        insertBySeq(this.leaves, ev.author, e as Of<'member.left'>)
        dirty ||= this.joins.get(ev.author)?.some((j) => j.event.payload.invite?.role === 'admin') === true
        break
      case 'member.revoked':
        this.revocations.splice(insertionIndex(this.revocations, e), 0, e as Of<'member.revoked'>)
        dirty = true
        break
      case 'invite.revoked': {
        const key = inviteKey(ev.payload.issuer, ev.payload.nonce)
        const list = this.inviteRevocations.get(key) ?? []
        list.splice(insertionIndex(list, e), 0, e as Of<'invite.revoked'>)
        this.inviteRevocations.set(key, list)
        dirty = true
        break
      }
    }
    return dirty ? this.reevaluate() : []
  }

  /** Re-evaluates standing (e.g. after a fork is found); returns the stored events whose verdict changed. */
  reevaluate(): StoredEvent[] {
    this.membership = undefined
    if (this.owner === null) return []
    const before = this.standing
    this.standing = evaluateStanding({
      owner: this.owner,
      joins: this.joins,
      joinOrder: this.joinOrder,
      leaves: this.leaves,
      revocations: this.revocations,
      inviteRevocations: this.inviteRevocations,
      forks: this.view.quarantined(),
      witness: this.witness,
      get: (id) => this.view.get(id),
      past: this.past,
    })
    return this.changed(before, this.standing)
  }

  /**
   * A stored event cites earlier events of other authors: the first such citation of a join
   * (or of a later event of its author) is that join's witness. True if a join's expiry
   * verdict flipped.
   */
  private witnessFrom(e: StoredEvent): boolean {
    const { deps } = e.event
    let flipped = false
    for (const d of deps) {
      const ref = this.view.get(d)
      const joins = ref && this.joins.get(ref.event.author)
      if (!joins) continue
      for (const j of joins) {
        const invite = j.event.payload.invite
        if (!invite || j.event.seq > (ref as StoredEvent).event.seq) continue
        const old = this.witness.get(j.id)
        if (old !== undefined && old <= e.event.time) continue
        this.witness.set(j.id, e.event.time)
        this.unwitnessed.delete(j)
        const deadline = invite.expires + JOIN_WITNESS_GRACE_MS
        const wasLate = old !== undefined && old > deadline
        if (wasLate !== e.event.time > deadline) flipped = true
      }
    }
    return flipped
  }

  /** Events whose verdict differs between two standings: per cut change, the first event it covers. */
  private changed(a: Standing, b: Standing): StoredEvent[] {
    const out: StoredEvent[] = []
    const add = (id: EventId) => {
      const s = this.view.get(id)
      if (s) out.push(s)
    }
    for (const author of new Set([...a.cuts.keys(), ...b.cuts.keys()])) {
      const x = a.cuts.get(author) ?? Infinity
      const y = b.cuts.get(author) ?? Infinity
      if (x !== y) for (const id of this.view.idsAt(author, Math.min(x, y) + 1)) add(id)
    }
    for (const id of symmetricDifference(new Set(a.voidJoins.keys()), new Set(b.voidJoins.keys()))) add(id)
    for (const id of symmetricDifference(a.voidActs, b.voidActs)) add(id)
    return out.sort(foldOrder)
  }
}

function insertBySeq<T extends StoredEvent>(by: Map<PeerId, T[]>, author: PeerId, e: T): void {
  const list = by.get(author) ?? []
  let i = list.length
  while (i > 0 && list[i - 1].event.seq > e.event.seq) i--
  list.splice(i, 0, e)
  by.set(author, list)
}

function* symmetricDifference<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Generator<T> {
  for (const x of a) if (!b.has(x)) yield x
  for (const x of b) if (!a.has(x)) yield x
}
