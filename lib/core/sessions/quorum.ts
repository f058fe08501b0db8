/** Approval quorum for `plan.approved` (DESIGN §2): a fixed count or ⌊2n/3⌋+1 of n reviewers. */
import type { RoomConfig } from '../events/kinds/room'
import type { MemberState } from '../state/types'

const REVIEWING_ROLES = new Set(['owner', 'admin', 'reviewer'])

/** Reviewers (humans who may approve) currently in the room. */
export const reviewerCount = (members: Iterable<MemberState>): number =>
  [...members].filter((m) => !m.left && REVIEWING_ROLES.has(m.role)).length

/** Approvals needed for a plan in a room with this config and membership. */
export function approvalsNeeded(config: RoomConfig, members: Iterable<MemberState>): number {
  if (config.approvalQuorum !== 'two-thirds') return config.approvalQuorum
  return Math.floor((2 * reviewerCount(members)) / 3) + 1
}
