/**
 * Membership read from the authority index (ADR 0086): whether a key is a member, and its
 * name, kind, role and capabilities, from the membership events and the standing verdicts
 * alone — no fold. The fold settles lazily and a late event can owe a replay of thousands of
 * events; a hub answers "who is this beat from" many times a second while it streams events
 * and reads nothing else, so it must not pay that replay. The answer is the fold's `members`
 * record for the key (the authority adversary test checks both agree on random histories).
 */
import type { AnyEvent } from '../events/envelope'
import type { Role } from '../events/kinds/common'
import type { EventId, PeerId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { inviteKey, type Of } from './standing'

/** A member as the fold records it (MemberState without the bookkeeping ids). */
export interface MemberFacts {
  displayName: string
  kind: 'human' | 'agent'
  role: Role
  capabilities: string[]
  left: boolean
  revoked: boolean
}

/** What membership is read from: the authority index's events and verdicts. */
export interface MembershipInput {
  created: Of<'room.created'> | undefined
  /** Per author, in chain order. */
  joins: ReadonlyMap<PeerId, readonly Of<'member.joined'>[]>
  leaves: ReadonlyMap<PeerId, readonly Of<'member.left'>[]>
  renames: ReadonlyMap<PeerId, readonly Of<'member.renamed'>[]>
  /** Every join, in fold order. */
  joinOrder: readonly Of<'member.joined'>[]
  revocations: readonly Of<'member.revoked'>[]
  forks: ReadonlyMap<PeerId, number>
  counts(e: StoredEvent): boolean
  joinVoid(id: EventId): string | undefined
  actVoid(id: EventId): boolean
}

type Chain = Of<'member.joined'> | Of<'member.left'> | Of<'member.renamed'>

/** Membership queries over one input; build a new one when the input changes. */
export class Membership {
  private usedUpJoins: Set<EventId> | undefined
  private readonly answers = new Map<PeerId, MemberFacts | null>()

  constructor(private readonly i: MembershipInput) {}

  /** The fold's record for `peer`, or undefined if it never held a counting join. */
  of(peer: PeerId): MemberFacts | undefined {
    const known = this.answers.get(peer)
    if (known !== undefined) return known ?? undefined
    // Anyone can name any key (a presence beat is checked after this lookup), so a key with no
    // membership event is answered without being remembered: the cache holds at most the keys
    // the log names.
    if (!this.named(peer)) return undefined
    let m = this.walk(peer, Infinity)
    if (m && !m.revoked && this.revokedBy(peer)) m = { ...m, left: true, revoked: true }
    // Shared by every caller until the next membership change: frozen so no caller edits it.
    const answer = m ? Object.freeze({ ...m, capabilities: Object.freeze([...m.capabilities]) as string[] }) : null
    this.answers.set(peer, answer)
    return answer ?? undefined
  }

  /** How many keys' answers are remembered: never more than the keys the log names. */
  get remembered(): number {
    return this.answers.size
  }

  /** Does any membership event of the log concern `peer` (its joins, leaves, renames, or the room's creation)? */
  private named(peer: PeerId): boolean {
    return this.i.created?.event.author === peer || this.i.joins.has(peer) || this.i.leaves.has(peer) || this.i.renames.has(peer)
  }

  /** Does the event take part in the fold at all (not cut off, not in a forked suffix)? */
  private live(e: StoredEvent): boolean {
    return e.event.seq < (this.i.forks.get(e.event.author) ?? Infinity) && this.i.counts(e)
  }

  /** The author's record after its own membership events below `beforeSeq`, as the fold applies them. */
  private walk(peer: PeerId, beforeSeq: number): MemberFacts | undefined {
    let m: MemberFacts | undefined
    const created = this.i.created
    if (created && created.event.author === peer && created.event.seq < beforeSeq && this.live(created)) {
      m = { ...created.event.payload.owner, role: 'owner', left: false, revoked: false }
    }
    const chain: Chain[] = [...(this.i.joins.get(peer) ?? []), ...(this.i.leaves.get(peer) ?? []), ...(this.i.renames.get(peer) ?? [])]
    chain.sort((a, b) => a.event.seq - b.event.seq)
    for (const e of chain) {
      if (e.event.seq >= beforeSeq) break
      if (!this.live(e)) continue
      const ev = e.event as AnyEvent
      if (ev.kind === 'member.joined') {
        if (this.i.joinVoid(e.id) !== undefined || this.usedUp().has(e.id)) continue
        const { displayName, kind, capabilities, invite } = ev.payload
        m = { displayName, kind, role: invite ? invite.role : 'reviewer', capabilities, left: false, revoked: false }
      } else if (m && !m.left) {
        if (ev.kind === 'member.left') m.left = true
        else if (ev.kind === 'member.renamed') m.displayName = ev.payload.displayName
      }
    }
    return m
  }

  /**
   * True if a revocation takes effect on `peer`. A counting join of the target is in every
   * effective revocation's causal past (a later one is cut off), so when the target has a
   * record the revocation folds after it; the revoker must still be a member when it acts.
   */
  private revokedBy(peer: PeerId): boolean {
    return this.i.revocations.some((r) => {
      if (r.event.payload.member !== peer || !this.live(r) || this.i.actVoid(r.id)) return false
      const by = this.walk(r.event.author, r.event.seq)
      return by !== undefined && !by.left
    })
  }

  /** Joins past their invite's use limit, counted in fold order among joins that admit. */
  private usedUp(): Set<EventId> {
    if (this.usedUpJoins) return this.usedUpJoins
    const out = new Set<EventId>()
    const uses = new Map<string, number>()
    for (const j of this.i.joinOrder) {
      const invite = j.event.payload.invite
      if (!invite || !this.live(j) || this.i.joinVoid(j.id) !== undefined) continue
      const key = inviteKey(invite.issuer, invite.nonce)
      const used = uses.get(key) ?? 0
      if (used >= invite.maxUses) out.add(j.id)
      else uses.set(key, used + 1)
    }
    this.usedUpJoins = out
    return out
  }
}
