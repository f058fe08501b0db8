/**
 * Which roles may author which kind (DESIGN §3). Derived events may be emitted by any
 * participating member because they are verified by recomputation, not by who sent them.
 */
import type { EventKind } from '../events/kinds'
import type { Role } from '../events/kinds/common'

const ADMINS: readonly Role[] = ['owner', 'admin']
const HUMANS: readonly Role[] = ['owner', 'admin', 'reviewer']
const PARTICIPANTS: readonly Role[] = ['owner', 'admin', 'reviewer', 'agent']
const AUTHORS_OF_PLANS: readonly Role[] = ['owner', 'admin', 'agent']

export const ALLOWED_ROLES: Readonly<Record<EventKind, readonly Role[]>> = {
  'room.created': ['owner'],
  'room.configured': ADMINS,
  // Joining is checked against the invite, not a prior role.
  'member.joined': [],
  'member.left': ['owner', 'admin', 'reviewer', 'agent', 'observer'],
  'member.revoked': ADMINS,
  'member.renamed': ['owner', 'admin', 'reviewer', 'agent', 'observer'],
  // Who may revoke which invite is decided with the invite in hand (state/authority.ts).
  'invite.issued': ADMINS,
  'invite.revoked': ADMINS,
  'task.claimed': ['agent'],
  'task.released': ['agent'],
  'task.completed': ['agent'],
  'rule.added': ADMINS,
  'rule.removed': ADMINS,
  'dependency.detected': PARTICIPANTS,
  'session.opened': PARTICIPANTS,
  'plan.proposed': AUTHORS_OF_PLANS,
  'plan.edited': HUMANS,
  'plan.approved': HUMANS,
  'session.message': PARTICIPANTS,
  'session.escalated': PARTICIPANTS,
  'session.resolved': PARTICIPANTS,
  'session.closed': PARTICIPANTS,
  'escalation.claimed': HUMANS,
  'escalation.resolved': HUMANS,
  'escalation.returned': HUMANS,
}

/** True if a member with `role` may author an event of `kind`. */
export const roleMayAuthor = (role: Role, kind: EventKind): boolean => ALLOWED_ROLES[kind].includes(role)
