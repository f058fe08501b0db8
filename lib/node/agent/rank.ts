/**
 * Rendezvous (highest-random-weight) ranking (DESIGN §2): every peer computes the same order of
 * candidates for an item (a session, a due derived event) from (item, peer id) alone, and each
 * item gets its own order, so no peer is first for everything.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import type { MemberState, RoomState, SessionState } from '../../core/state/types'
import { roleMayAuthor } from '../../core/log/roles'

/** The capability a member announces to be eligible as a session's primary planner. */
export const PLANNER_CAPABILITY = 'planner'

/** A peer's rank key for an item in a ranking domain ('primary', 'derived'): lower ranks first. */
export const rankKey = (domain: string, item: string, peer: string): string =>
  bytesToHex(sha256(utf8ToBytes(`chorus-mesh/${domain}/1\n${item}\n${peer}`)))

/** The rank key of a peer for a session's primary planner. */
export const plannerRankKey = (session: string, peer: string): string => rankKey('primary', session, peer)

/** `peers` (deduplicated) ranked for `item` in `domain`, first first. */
export function rendezvous(domain: string, item: string, peers: readonly string[]): string[] {
  return [...new Set(peers)]
    .map((p) => ({ p, k: rankKey(domain, item, p) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.p)
}

/** Peers ranked for a session, primary first. */
export const rankPlanners = (session: string, peers: readonly string[]): string[] => rendezvous('primary', session, peers)

/**
 * Rankings remembered per item while its candidates are the same: duties rank every item they
 * hold on each tick, and a ranking costs one SHA-256 per candidate.
 */
export class Rankings {
  private readonly cache = new Map<string, { peers: string; ranked: string[] }>()

  constructor(private readonly domain: string) {}

  /** `peers` ranked for `item` (from the cache while `peers` is the same list). */
  ranked(item: string, peers: readonly string[]): string[] {
    const key = peers.join('\n')
    const hit = this.cache.get(item)
    if (hit?.peers === key) return hit.ranked
    const ranked = rendezvous(this.domain, item, peers)
    this.cache.set(item, { peers: key, ranked })
    return ranked
  }

  /** Forgets items no longer asked for (call with the items still held). */
  retain(items: ReadonlySet<string>): void {
    for (const k of this.cache.keys()) if (!items.has(k)) this.cache.delete(k)
  }
}

/** True for a current member: joined, not left, not revoked, not quarantined for equivocation. */
export const isCurrent = (s: RoomState, m: MemberState): boolean => !m.left && !m.revoked && !s.quarantined.has(m.peerId)

const isPlanner = (s: RoomState, m: MemberState): boolean =>
  isCurrent(s, m) && m.capabilities.includes(PLANNER_CAPABILITY) && roleMayAuthor(m.role, 'plan.proposed')

/** Current members that may act as primary: planner capability and a role that may write plans. */
export const plannerCandidates = (s: RoomState): string[] => [...s.members.values()].filter((m) => isPlanner(s, m)).map((m) => m.peerId)

/**
 * The planners of a session in the order they take their turns: its participants first, then
 * every other planner, each group by rendezvous rank. The participants are the agents working
 * on its tasks, so who plans a session does not depend on how many other agents share the room
 * — another team's agents, however busy or starved, hold none of this team's sessions while a
 * participant is live.
 */
export class PlannerOrder {
  private readonly participants = new Rankings('primary')
  private readonly others = new Rankings('primary')

  /** `candidates` (current planners) in turn order for `s`. */
  ranked(s: SessionState, candidates: readonly string[]): string[] {
    const mine = new Set<string>(s.participants)
    const involved = candidates.filter((p) => mine.has(p))
    return [...this.participants.ranked(s.id, involved), ...this.others.ranked(s.id, candidates.filter((p) => !mine.has(p)))]
  }

  /** Forgets sessions no longer asked for. */
  retain(sessions: ReadonlySet<string>): void {
    this.participants.retain(sessions)
    this.others.retain(sessions)
  }
}
