/**
 * Which human actions this tab may take on a session right now, and if not, why — so a button
 * is disabled with a reason instead of signing an event the room would refuse or ignore.
 */
import type { Role } from '@/lib/core/events/kinds/common'
import type { EventKind } from '@/lib/core/events/kinds'
import { roleMayAuthor } from '@/lib/core/log/roles'
import type { SessionState } from '@/lib/core/state/types'

/** A human action on a session. */
export type HumanAction = 'approve' | 'edit' | 'resolve' | 'return' | 'claim' | 'release'

/** Allowed, or refused with a sentence a reviewer can act on. */
export type Availability = { ok: true; note?: string } | { ok: false; reason: string }

/** Who is acting: a member's peer id and role, or a guest (role null). */
export interface Actor {
  peerId?: string
  role: Role | null
}

const KIND: Record<HumanAction, EventKind> = {
  approve: 'plan.approved',
  edit: 'plan.edited',
  resolve: 'escalation.resolved',
  return: 'escalation.returned',
  claim: 'escalation.claimed',
  release: 'escalation.claimed',
}

/** Whether `actor` may take `action` on `session`; `nameOf` names the claimer in reasons. */
export function availability(action: HumanAction, session: SessionState, actor: Actor, nameOf: (peer: string) => string = (p) => p): Availability {
  if (actor.role == null) return { ok: false, reason: 'You are watching as a guest: join with a reviewer invite to act.' }
  if (!roleMayAuthor(actor.role, KIND[action])) return { ok: false, reason: `Your role (${actor.role}) cannot do this; reviewers, admins and the owner can.` }
  const claimer = session.escalation?.claimedBy ?? null
  const lockNote = claimer != null && claimer !== actor.peerId ? { note: `${nameOf(claimer)} is working on this.` } : {}
  switch (action) {
    case 'approve':
      if (session.status !== 'active' && session.status !== 'escalated') return { ok: false, reason: `The session is ${session.status}.` }
      if (session.plans.length === 0) return { ok: false, reason: 'There is no plan to approve yet.' }
      if (actor.peerId != null && (session.approvals as readonly string[]).includes(actor.peerId)) return { ok: false, reason: 'You already approved this plan version.' }
      return { ok: true, ...lockNote }
    case 'edit':
      if (session.status !== 'active' && session.status !== 'escalated') return { ok: false, reason: `The session is ${session.status}.` }
      if (session.plans.length === 0) return { ok: false, reason: 'There is no plan to edit yet.' }
      return { ok: true, ...lockNote }
    case 'resolve':
    case 'return':
      if (session.status !== 'escalated') return { ok: false, reason: 'Only an escalated session can be decided.' }
      return { ok: true, ...lockNote }
    case 'claim':
      if (session.status !== 'escalated') return { ok: false, reason: 'Only an escalated session can be claimed.' }
      if (claimer === actor.peerId) return { ok: false, reason: 'You already claimed this.' }
      if (claimer != null) return { ok: false, reason: `Already claimed by ${nameOf(claimer)}.` }
      return { ok: true }
    case 'release':
      if (session.status !== 'escalated' || claimer !== actor.peerId) return { ok: false, reason: 'You do not hold this claim.' }
      return { ok: true }
  }
}
