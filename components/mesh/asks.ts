/**
 * Whether a change of the room may carry a new request for a human, read from the newest
 * stored events (the replica report's activity feed, newest first): an escalation, or a
 * reviewer's approval that can leave a plan awaiting quorum. Such a change skips the tab's paced
 * apply (coalesce.ts), so the request is shown and notified within a second, even while the
 * tab is hidden. A request is rare, and an apply for a change that turns out to raise none
 * costs one render; whether it is a request is decided where it is announced (use-arrivals.ts).
 */
import type { ActivityItem } from '@/lib/core/state/activity'

/** Event kinds after which the state may hold a request for a human that was not there before. */
const RAISES: ReadonlySet<ActivityItem['kind']> = new Set(['session.escalated', 'plan.approved'])

/**
 * A check that is true when `recent` holds an event of a raising kind that the check has not
 * seen before. It remembers the ids of the last list it saw: an event more than a feed's length
 * behind the newest when first seen is missed, and then waits for the paced apply as any other.
 */
export function asksForAHuman(): (recent: ReadonlyArray<Pick<ActivityItem, 'id' | 'kind'>>) => boolean {
  let seen = new Set<string>()
  return (recent) => {
    const ids = new Set<string>()
    let asks = false
    for (const item of recent) {
      ids.add(item.id)
      if (!seen.has(item.id) && RAISES.has(item.kind)) asks = true
    }
    seen = ids
    return asks
  }
}
