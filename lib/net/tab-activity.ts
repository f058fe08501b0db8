/**
 * The activity feed a tab shows beside the room (the newest stored events, in words), made again
 * after every folded change. Describing an event reads its payload, which the log keeps encoded
 * (decoded on each read), and a tab shows an event only after this report: so each event is
 * described once and its description kept while it stays in the feed. A description reads one
 * thing from the state, the author's display name; it is made again when that name changes.
 */
import { describeEvent, type ActivityItem } from '../core/state/activity'
import type { StoredEvent } from '../core/log/stored'
import type { RoomState } from '../core/state/types'

interface Described {
  readonly name: string | undefined
  readonly item: ActivityItem
}

/** See the module comment. */
export class RecentActivity {
  private described = new Map<string, Described>()

  /** The descriptions of `events` (the feed, newest first); keeps only these for the next call. */
  of(state: RoomState, events: readonly StoredEvent[]): ActivityItem[] {
    const next = new Map<string, Described>()
    const out = events.map((e) => {
      const name = state.members.get(e.event.author)?.displayName
      let d = this.described.get(e.id)
      if (d === undefined || d.name !== name) d = { name, item: describeEvent(state, e.id, e.event) }
      next.set(e.id, d)
      return d.item
    })
    this.described = next
    return out
  }
}
