/**
 * Redeeming an invite link, whatever the tab did before (DESIGN §3). A tab in an open room is a
 * reviewer as soon as it starts, and a member joins once per key; so an invite for another role
 * cannot be redeemed by the same identity. When the invite asks for more than the tab holds
 * (reviewer → admin), the tab retires its identity (`member.left`, a fresh key in its slot) and
 * redeems the invite as a new peer; when it asks for less, the reviewer chooses.
 */
import { decodeInviteText } from '@/lib/core/events/invite-link'
import type { InvitePhase } from '@/lib/stores/mesh-store'
import type { JoinOutcome } from '@/lib/net/membership'

/** How much a role may do, for comparing an invite with what the tab holds. */
const RANK: Record<string, number> = { observer: 0, agent: 1, reviewer: 2, admin: 3, owner: 4 }

/** The invite text in a `/join#invite=…` fragment, or undefined. */
export function inviteFromHash(hash: string): string | undefined {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get('invite')
  return text != null && text !== '' ? text : undefined
}

/** What to do after `join(invite)` answered `outcome`. */
export type NextStep = { kind: 'done'; phase: InvitePhase } | { kind: 'switch'; from: string; to: string }

/** Decides between done, switching identity (the invite gives more) and letting the reviewer choose. */
export function afterJoin(invite: string, outcome: JoinOutcome): NextStep {
  if (outcome.status === 'guest') return { kind: 'done', phase: { kind: 'failed', message: outcome.reason } }
  const want = decodeInviteText(invite)?.role
  if (outcome.joinedNow || want == null || want === outcome.role) return { kind: 'done', phase: { kind: 'joined', role: outcome.role, before: !outcome.joinedNow } }
  if ((RANK[want] ?? 0) > (RANK[outcome.role] ?? 0)) return { kind: 'switch', from: outcome.role, to: want }
  return { kind: 'done', phase: { kind: 'choose', have: outcome.role, want } }
}
