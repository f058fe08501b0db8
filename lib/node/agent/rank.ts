/**
 * Rendezvous (highest-random-weight) ranking of planners for a session (DESIGN §2): every peer
 * computes the same order from (session id, peer id) alone, and each session gets its own
 * order, so no planner is primary for every session.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import type { MemberState, RoomState } from '../../core/state/types'
import { roleMayAuthor } from '../../core/log/roles'

/** The capability a member announces to be eligible as a session's primary planner. */
export const PLANNER_CAPABILITY = 'planner'

/** The rank key of a peer for a session: lower ranks first. */
export const plannerRankKey = (session: string, peer: string): string =>
  bytesToHex(sha256(utf8ToBytes(`chorus-mesh/primary/1\n${session}\n${peer}`)))

/** Peers ranked for a session, primary first. */
export function rankPlanners(session: string, peers: readonly string[]): string[] {
  return [...new Set(peers)]
    .map((p) => ({ p, k: plannerRankKey(session, p) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.p)
}

const isPlanner = (s: RoomState, m: MemberState): boolean =>
  !m.left && !s.quarantined.has(m.peerId) && m.capabilities.includes(PLANNER_CAPABILITY) && roleMayAuthor(m.role, 'plan.proposed')

/** Current members that may act as primary: planner capability and a role that may write plans. */
export const plannerCandidates = (s: RoomState): string[] => [...s.members.values()].filter((m) => isPlanner(s, m)).map((m) => m.peerId)
