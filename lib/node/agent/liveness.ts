/**
 * How the agent's duties see other peers (ADR 0070), from presence:
 * - `heard`: its beats arrive (`alive`), or it is a member not heard from yet while this agent
 *   warms up. It is working: when it ranks first, the others give it a long grace, because a
 *   late event from a busy peer is far more likely than a silent one, and each copy loads
 *   every peer.
 * - `quiet`: it missed a few beats (`suspect`). Still a candidate — under load beats arrive
 *   late, and dropping it would elect another writer on every late beat — but the peers after
 *   it take over after the (adaptive) grace period.
 * - `gone`: dead, left, or never heard after the warm-up: not a candidate at all.
 * Missed beats are counted against the room (the latest beat heard from anyone), not only the
 * clock: when every peer's beats are late together, this process fell behind on its sockets or
 * the relay they all pass through stalled, and the candidate is as likely to be working as
 * before. Such a peer keeps its standing (ADR 0073); one that stopped while the others kept
 * beating loses it. A peer whose own beats have lately run late (its process starved, not
 * stopped) keeps it for as long as its beats have been late, plus an interval (ADR 0087). A peer the clock says is dead is at best quiet, so a room where nobody else
 * beats still takes over from it.
 */
import { beatInterval } from '../../core/presence/pace'
import type { PresenceStatus } from '../../core/presence/tracker'
import type { RoomState } from '../../core/state/types'
import type { AdaptiveGrace } from './grace'
import { isCurrent } from './rank'

/** What a duty knows about a candidate. */
export type Standing = 'heard' | 'quiet' | 'gone'

/** What liveness reads from presence. */
export interface PresenceLookup {
  status(peerId: string): PresenceStatus | undefined
  /** The status judged against the latest beat from anyone; without it, the clock alone judges. */
  statusVsRoom?(peerId: string): PresenceStatus | undefined
  /** `statusVsRoom`, patient with a peer whose beats run late; preferred when present. */
  statusAllowingLate?(peerId: string): PresenceStatus | undefined
}

const RANK: Record<Standing, number> = { gone: 0, quiet: 1, heard: 2 }
const BY_STATUS: Record<PresenceStatus, Standing> = { alive: 'heard', suspect: 'quiet', dead: 'gone', left: 'gone' }

/**
 * The standing of peers for duties; `warmUpMs` from now on, unknown members count as heard. A
 * function is read at each call: how long a member may go unheard grows with its room (ADR 0092).
 */
export function dutyStanding(presence: PresenceLookup, warmUpMs: number | (() => number), now: () => number = Date.now): (peer: string) => Standing {
  const startedAt = now()
  const warmUp = typeof warmUpMs === 'number' ? () => warmUpMs : warmUpMs
  return (peer) => {
    const status = presence.status(peer)
    if (status == null) return now() - startedAt < warmUp() ? 'heard' : 'gone'
    const byClock = BY_STATUS[status]
    if (byClock === 'heard' || status === 'left') return byClock
    const vsRoom = presence.statusAllowingLate?.(peer) ?? presence.statusVsRoom?.(peer)
    if (vsRoom == null) return byClock
    const best = RANK[BY_STATUS[vsRoom]] > RANK[byClock] ? BY_STATUS[vsRoom] : byClock
    return status === 'dead' && best === 'heard' ? 'quiet' : best
  }
}

/**
 * The warm-up of `dutyStanding` for a room whose base presence interval is `intervalMs`: a
 * member not heard yet may beat as seldom as a room of its current members paces it (ADR 0092),
 * three such intervals. Counted at most once a second, since duties ask for every candidate.
 */
export function warmUpFor(state: () => RoomState, intervalMs: number, now: () => number = Date.now): () => number {
  let warm = { at: -Infinity, ms: 0 }
  return () => {
    const t = now()
    if (t - warm.at >= 1000) {
      const s = state()
      let current = 0
      for (const m of s.members.values()) if (isCurrent(s, m)) current++
      warm = { at: t, ms: Math.max(1000, 3 * beatInterval(intervalMs, Math.max(0, current - 1))) }
    }
    return warm.ms
  }
}

/**
 * How long `me` lets an item wait before writing it: the turns of the candidates ranked above
 * it that are not gone — the long grace for a heard one, the grace for a quiet one — or null
 * if `me` is not among `ranked`.
 */
export function turnWait(ranked: readonly string[], me: string, standing: (peer: string) => Standing, grace: AdaptiveGrace): number | null {
  let wait = 0
  for (const p of ranked) {
    if (p === me) return wait
    const s = standing(p)
    if (s !== 'gone') wait += s === 'heard' ? grace.longMs : grace.ms
  }
  return null
}
