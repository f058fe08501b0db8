/**
 * Admission of a signature-checked event whose references are all present. Every check reads
 * only the event and the events it references (its author's chain, deps, the genesis, an
 * invite issuer's join, derived evidence), which are immutable: so the set of admitted events
 * is the same on every peer whatever the arrival order (ADR 0003). Checks that need the whole
 * set (invite use counts, is a plan still the latest …) belong to the reducer.
 */
import type { AnyEvent } from '../events/envelope'
import { ROLES, type Role } from '../events/kinds/common'
import type { EventId } from '../ids'
import { evidenceOf, verifyDerived } from './evidence'
import type { RejectReason } from './reasons'
import { roleMayAuthor } from './roles'
import { getKind, type LogView, type StoredEvent } from './stored'

export type Admission =
  | { ok: true; roleAfter: Role | null }
  | { ok: false; reason: RejectReason; detail: string }

/** Every event id this event needs before it can be admitted. */
export function referencesOf(event: AnyEvent, room: EventId): EventId[] {
  // At most a dozen: a linear scan dedupes (first occurrence kept) cheaper than a Set.
  const refs: EventId[] = []
  const add = (r: EventId) => {
    if (!refs.includes(r)) refs.push(r)
  }
  if (event.kind !== 'room.created') add(room)
  if (event.prev) add(event.prev)
  for (const d of event.deps) add(d)
  for (const e of evidenceOf(event)) add(e)
  if (event.kind === 'member.joined' && event.payload.invite?.issuerJoin) add(event.payload.invite.issuerJoin)
  return refs
}

const reject = (reason: RejectReason, detail: string): Admission => ({ ok: false, reason, detail })

/** Decide admission of `event` (id `id`); all its references must be in `view`. */
export function admit(id: EventId, event: AnyEvent, view: LogView, inviteSignatureOk: boolean): Admission {
  if (event.kind === 'room.created') {
    if (id !== view.room) return reject('wrong_room', 'a genesis of another room')
    if (event.seq !== 1 || event.room !== '' || event.deps.length > 0) return reject('malformed', 'a genesis starts a chain')
    return { ok: true, roleAfter: 'owner' }
  }
  if (event.room !== view.room) return reject('wrong_room', `room ${event.room}`)
  const refs = referencesOf(event, view.room)
  const chain = checkChain(event, view, refs)
  if (chain) return reject('malformed', chain)
  // Lamport = max(seen) + 1, and honest authors reference the highest heads they have seen
  // (log/author.ts), so a jump beyond max(referenced) + 1 can only inflate clocks: a member
  // could otherwise push every later event towards MAX_SAFE_INTEGER (ADR 0004).
  let ceiling = -Infinity
  for (const r of refs) ceiling = Math.max(ceiling, (view.get(r) as StoredEvent).event.lamport)
  ceiling += 1
  if (event.lamport > ceiling) return reject('clock_ahead', `lamport ${event.lamport} > ${ceiling}`)

  const prev = event.prev ? view.get(event.prev) : undefined
  const role = prev ? prev.roleAfter : null
  if (event.kind === 'member.joined') {
    if (role !== null) return reject('role_not_allowed', 'already a member')
    const invite = checkInvite(event as Extract<AnyEvent, { kind: 'member.joined' }>, view, inviteSignatureOk)
    return 'error' in invite ? reject('invalid_invite', invite.error) : { ok: true, roleAfter: invite.role }
  }
  if (role === null) return reject('not_member', 'the author has not joined (or has left)')
  if (!roleMayAuthor(role, event.kind)) return reject('role_not_allowed', `${role} may not author ${event.kind}`)
  if (event.kind === 'invite.issued') {
    const { issuer, room } = event.payload.invite
    if (issuer !== event.author || room !== view.room) return reject('malformed', 'an invite is recorded by its issuer, for this room')
  }
  const derived = verifyDerived(event, view)
  if (derived) return reject('derived_unverified', derived)
  return { ok: true, roleAfter: event.kind === 'member.left' ? null : role }
}

/** Hash-chain, Lamport and clock consistency with the referenced events; null if fine. */
function checkChain(event: AnyEvent, view: LogView, refs: readonly EventId[]): string | null {
  const prev = event.prev ? view.get(event.prev) : undefined
  if (prev) {
    if (prev.event.author !== event.author) return 'prev is by another author'
    if (prev.event.seq !== event.seq - 1) return 'seq does not follow prev'
    if (prev.event.lamport >= event.lamport) return 'lamport does not exceed prev'
    // An author's own clock may not run backwards along its chain (ADR 0004).
    if (prev.event.time > event.time) return 'time runs backwards along the chain'
  }
  for (const d of event.deps) if ((view.get(d) as StoredEvent).event.author === event.author) return 'deps must be other authors'
  // Everything referenced (deps, evidence, the genesis, an issuer's join) folds before this
  // event, so effects never precede their causes in (lamport, id) order.
  for (const r of refs) {
    if ((view.get(r) as StoredEvent).event.lamport >= event.lamport) return 'lamport does not exceed a referenced event'
  }
  return null
}

/** The role the invite grants, or why it is invalid. */
function checkInvite(event: Extract<AnyEvent, { kind: 'member.joined' }>, view: LogView, signatureOk: boolean): { role: Role } | { error: string } {
  const r = inviteRole(event, view, signatureOk)
  return (ROLES as readonly string[]).includes(r) ? { role: r as Role } : { error: r }
}

function inviteRole(event: Extract<AnyEvent, { kind: 'member.joined' }>, view: LogView, signatureOk: boolean): string {
  const genesis = getKind(view, view.room, 'room.created')
  if (!genesis) return 'no genesis'
  const invite = event.payload.invite
  if (!invite) return genesis.event.payload.open ? 'reviewer' : 'the room is not open: an invite is needed'
  if (!signatureOk) return 'the invite signature does not verify'
  if (invite.room !== view.room) return 'the invite is for another room'
  // A join stamped after expiry is refused here; one backdated to look in time is voided once
  // someone else cites it (authority/standing.ts, ADR 0065).
  if (event.time > invite.expires) return 'the invite has expired'
  if (invite.issuer === genesis.event.author) return invite.role
  if (!invite.issuerJoin) return 'an admin invite must name the issuer join'
  const join = getKind(view, invite.issuerJoin, 'member.joined')
  if (!join || join.event.author !== invite.issuer) return 'issuerJoin is not the issuer join'
  if (join.roleAfter !== 'admin') return 'the issuer is not an admin'
  return invite.role
}
