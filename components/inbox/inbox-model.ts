/**
 * The inbox's rows: escalations as a reviewer scans them (reason, age, repositories, a one-line
 * summary), filtered by open / claimed / decided / all. Open items come oldest first, the way
 * `selectInbox` orders them; decided ones follow, most recently decided first.
 */
import type { EscalationReason } from '@/lib/core/events/kinds/session'
import { selectInbox } from '@/lib/core/state/selectors'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import type { InboxFilter } from '@/lib/stores/ui-inbox'
import { repositoriesOf, taskTitle } from '@/components/session/names'

/** One inbox row. */
export interface InboxRow {
  session: string
  /** The escalation event: the unread badge keys on it. */
  escalation: string
  reason: EscalationReason
  escalatedAt: number
  claimedBy: string | null
  repositories: string[]
  summary: string
  decided: boolean
  status: SessionState['status']
}

/** "message limit", "ran too long", "asked for by a participant". */
export const REASON_LABEL: Record<EscalationReason, string> = {
  message_limit: 'message limit',
  duration: 'ran too long',
  requested: 'requested',
}

/** A one-line summary: the participant's note, else the latest plan's summary, else the tasks. */
export function summaryOf(s: RoomState, x: SessionState, note?: string): string {
  const line = note ?? x.plans[x.plans.length - 1]?.plan.summary ?? x.tasks.map((t) => taskTitle(s, t)).join(' ↔ ')
  return line.replace(/\s+/g, ' ').trim()
}

function openRows(s: RoomState): InboxRow[] {
  return selectInbox(s).map((i) => {
    const x = s.sessions.get(i.session)!
    return {
      session: i.session,
      escalation: x.escalation!.event,
      reason: i.reason,
      escalatedAt: i.escalatedAt,
      claimedBy: i.claimedBy,
      repositories: repositoriesOf(s, i.tasks),
      summary: summaryOf(s, x, i.note),
      decided: false,
      status: x.status,
    }
  })
}

function decidedRows(s: RoomState): InboxRow[] {
  const rows: InboxRow[] = []
  for (const x of s.sessions.values()) {
    const last = x.escalations[x.escalations.length - 1]
    if (!last || x.status === 'escalated') continue
    rows.push({
      session: x.id,
      escalation: last.event,
      reason: last.reason,
      escalatedAt: last.at,
      claimedBy: null,
      repositories: repositoriesOf(s, x.tasks),
      summary: summaryOf(s, x, last.note),
      decided: true,
      status: x.status,
    })
  }
  return rows.sort((a, b) => b.escalatedAt - a.escalatedAt || (a.session < b.session ? -1 : 1))
}

/** Rows for a filter. */
export function inboxRows(s: RoomState, filter: InboxFilter): InboxRow[] {
  if (filter === 'decided') return decidedRows(s)
  const open = openRows(s)
  if (filter === 'open') return open
  if (filter === 'claimed') return open.filter((r) => r.claimedBy != null)
  return [...open, ...decidedRows(s)]
}

/** Open escalations this tab has not opened yet: the navigation badge. */
export function unreadCount(s: RoomState, read: ReadonlySet<string>): number {
  let n = 0
  for (const x of s.sessions.values()) if (x.status === 'escalated' && x.escalation && !read.has(x.escalation.event)) n++
  return n
}

/** The row `delta` steps from `current` (clamped); the first row when nothing is selected. */
export function step(rows: readonly InboxRow[], current: string | null, delta: number): string | null {
  if (rows.length === 0) return null
  const i = rows.findIndex((r) => r.session === current)
  if (i < 0) return rows[0].session
  return rows[Math.min(rows.length - 1, Math.max(0, i + delta))].session
}
