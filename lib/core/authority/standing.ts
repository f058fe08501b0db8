/**
 * Who holds authority, as a function of the whole event set (ADR 0065). Evaluated from
 * scratch whenever an event that can change it is stored; every verdict reads only causal
 * relations and the set itself, never arrival order or a local clock.
 *
 * - The owner's acts always count (until it equivocates). Its revocation of M cuts M off at the
 *   highest seq of M in the revocation's causal past.
 * - A join counts if its invite is valid *as its issuer's authority stands*: the issuer is the
 *   owner, or an admin whose own (issuer) join counts and who had neither been revoked nor left
 *   without the join in that revocation's or leave's causal past; no counting `invite.revoked`
 *   lacks the join in its past; and, when anyone else has cited the join, the earliest such
 *   witness is not later than the invite's expiry plus a grace period.
 * - An admin acts (revokes, revokes invites) only while its covering admin join counts and the
 *   owner has not cut it off before the act. Admins may revoke members who never held a
 *   counting admin join; only the owner revokes an admin, and nobody revokes the owner.
 */
import type { AnyEvent } from '../events/envelope'
import type { SignedInvite } from '../events/kinds/invite'
import type { EventId, PeerId } from '../ids'
import type { StoredEvent } from '../log/stored'
import type { PastIndex } from './causal'

/** A join witnessed this long after its invite's expiry no longer admits. */
export const JOIN_WITNESS_GRACE_MS = 60 * 60_000

export type Of<K extends AnyEvent['kind']> = StoredEvent & { event: Extract<AnyEvent, { kind: K }> }

/** The events standing is computed from, gathered by the Authority index. */
export interface StandingInput {
  owner: PeerId
  /** Joins by author, in chain order. */
  joins: ReadonlyMap<PeerId, readonly Of<'member.joined'>[]>
  /** Every join, in fold order: verdicts are evaluated in this order (it decides circular cases). */
  joinOrder: readonly Of<'member.joined'>[]
  leaves: ReadonlyMap<PeerId, readonly Of<'member.left'>[]>
  /** Revocations, in fold order (it decides circular cases). */
  revocations: readonly Of<'member.revoked'>[]
  /** Invite revocations by `issuer/nonce`. */
  inviteRevocations: ReadonlyMap<string, readonly Of<'invite.revoked'>[]>
  /** Equivocating authors and the seq their fork starts at. */
  forks: ReadonlyMap<PeerId, number>
  /** Per join, the earliest time another author cited it (or a later event of its author). */
  witness: ReadonlyMap<EventId, number>
  get(id: EventId): StoredEvent | undefined
  past: PastIndex
}

export interface Standing {
  /** Per author, the last seq that counts (its later events have no effect at all). */
  cuts: Map<PeerId, number>
  /** Joins that admit nobody, with the reason. */
  voidJoins: Map<EventId, string>
  /** Revocations and invite revocations that take no effect. */
  voidActs: Set<EventId>
}

export const inviteKey = (issuer: string, nonce: string): string => `${issuer}/${nonce}`

/** Evaluates standing from `input`; see the module comment. */
export function evaluateStanding(input: StandingInput): Standing {
  return new Evaluation(input).run()
}

class Evaluation {
  private readonly ownerCut = new Map<PeerId, number>()
  private readonly valid = new Map<EventId, string | null>()
  private readonly inProgress = new Set<EventId>()

  constructor(private readonly i: StandingInput) {}

  run(): Standing {
    const { owner, past } = this.i
    const voidActs = new Set<EventId>()
    const ownerRevocations = this.i.revocations.filter((r) => r.event.author === owner)
    for (const r of ownerRevocations) {
      const target = r.event.payload.member
      if (target === owner || !this.alive(r)) voidActs.add(r.id)
      else cutAt(this.ownerCut, target, past.seen(r, target))
    }
    const cuts = new Map(this.ownerCut)
    for (const r of this.i.revocations) {
      if (r.event.author === owner) continue
      const target = r.event.payload.member
      if (target === owner || this.adminProtected(target) || !this.standsAt(r.event.author, r)) voidActs.add(r.id)
      else cutAt(cuts, target, past.seen(r, target))
    }
    const voidJoins = new Map<EventId, string>()
    for (const j of this.i.joinOrder) {
      const why = this.joinValidity(j)
      if (why !== null) voidJoins.set(j.id, why)
    }
    for (const list of this.i.inviteRevocations.values()) for (const ir of list) if (!this.standsAt(ir.event.author, ir)) voidActs.add(ir.id)
    return { cuts, voidJoins, voidActs }
  }

  /** Not in its author's forked suffix. */
  private alive(e: StoredEvent): boolean {
    return e.event.seq < (this.i.forks.get(e.event.author) ?? Infinity)
  }

  /** Null if the join admits, else why not. Memoized; a join whose verdict depends on itself does not admit. */
  private joinValidity(j: Of<'member.joined'>): string | null {
    const known = this.valid.get(j.id)
    if (known !== undefined) return known
    if (this.inProgress.has(j.id)) return 'circular authority'
    this.inProgress.add(j.id)
    const why = this.check(j)
    this.inProgress.delete(j.id)
    this.valid.set(j.id, why)
    return why
  }

  private check(j: Of<'member.joined'>): string | null {
    if (!this.alive(j)) return 'quarantined'
    const invite = j.event.payload.invite
    if (!invite) return null
    const witnessed = this.i.witness.get(j.id)
    if (witnessed !== undefined && witnessed > invite.expires + JOIN_WITNESS_GRACE_MS) return 'the invite had expired when the join was first seen'
    if (invite.issuer !== this.i.owner) {
      const why = this.issuerStands(j, invite)
      if (why) return why
    }
    for (const ir of this.i.inviteRevocations.get(inviteKey(invite.issuer, invite.nonce)) ?? []) {
      if (this.revokes(ir, invite) && !this.i.past.inPast(j, ir)) return 'the invite was revoked'
    }
    return null
  }

  /** Why an admin issuer's authority did not cover this join, or null. */
  private issuerStands(j: StoredEvent, invite: SignedInvite): string | null {
    const issuerJoin = invite.issuerJoin ? (this.i.get(invite.issuerJoin) as Of<'member.joined'> | undefined) : undefined
    if (!issuerJoin || issuerJoin.event.kind !== 'member.joined') return 'the issuer join is unknown'
    if (this.joinValidity(issuerJoin) !== null) return "the issuer's own join does not count"
    for (const r of this.i.revocations) {
      if (r.event.author === this.i.owner && r.event.payload.member === invite.issuer && this.alive(r) && !this.i.past.inPast(j, r)) {
        return 'the issuer was revoked'
      }
    }
    for (const l of this.i.leaves.get(invite.issuer) ?? []) {
      if (l.event.seq > issuerJoin.event.seq && !this.i.past.inPast(j, l)) return 'the issuer had left'
    }
    return null
  }

  /** True if this invite revocation takes effect against `invite`. */
  private revokes(ir: Of<'invite.revoked'>, invite: SignedInvite): boolean {
    const by = ir.event.author
    if (!this.standsAt(by, ir)) return false
    return by === this.i.owner || by === invite.issuer || invite.role !== 'admin'
  }

  /** True if `who` held owner or counting admin authority when it authored `act`. */
  private standsAt(who: PeerId, act: StoredEvent): boolean {
    if (!this.alive(act)) return false
    if (who === this.i.owner) return true
    if (act.event.seq > (this.ownerCut.get(who) ?? Infinity)) return false
    let covering: Of<'member.joined'> | undefined
    for (const j of this.i.joins.get(who) ?? []) if (j.event.seq < act.event.seq) covering = j
    return covering?.event.payload.invite?.role === 'admin' && this.joinValidity(covering) === null
  }

  /** True if `who` holds a counting admin join the owner has not cut off. */
  private adminProtected(who: PeerId): boolean {
    const cut = this.ownerCut.get(who) ?? Infinity
    return (this.i.joins.get(who) ?? []).some((j) => j.event.payload.invite?.role === 'admin' && j.event.seq <= cut && this.joinValidity(j) === null)
  }
}

function cutAt(cuts: Map<PeerId, number>, who: PeerId, seq: number): void {
  cuts.set(who, Math.min(cuts.get(who) ?? Infinity, seq))
}
