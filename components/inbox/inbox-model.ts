/**
 * The inbox's rows: escalations as a reviewer scans them (reason, age, repositories, a one-line
 * summary), filtered by open / claimed / decided / all. Open items come oldest first, the way
 * `selectInbox` orders them; decided ones follow, most recently decided first.
 */
import type { EscalationReason } from '@/lib/core/events/kinds/session'
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

/** The row of a session that was ever escalated (open while escalated, decided after), else null. */
function rowOf(s: RoomState, x: SessionState): InboxRow | null {
  const e = x.status === 'escalated' ? x.escalation : null
  if (e) {
    return { session: x.id, escalation: e.event, reason: e.reason, escalatedAt: e.at, claimedBy: e.claimedBy, repositories: repositoriesOf(s, x.tasks), summary: summaryOf(s, x, e.note), decided: false, status: x.status }
  }
  const last = x.escalations[x.escalations.length - 1]
  if (!last || x.status === 'escalated') return null
  return { session: x.id, escalation: last.event, reason: last.reason, escalatedAt: last.at, claimedBy: null, repositories: repositoriesOf(s, x.tasks), summary: summaryOf(s, x, last.note), decided: true, status: x.status }
}

/**
 * What a row is built from, compared by reference (no strings built per session): the
 * session's status and history (every accepted session event — escalation, claim, plan,
 * decision — is appended to it) and the claims of its tasks (a re-claim can change a task's
 * title or repository).
 */
interface Entry {
  status: SessionState['status']
  length: number
  last: SessionState['history'][number] | undefined
  claims: Array<string | undefined>
  row: InboxRow | null
  seen: number
}

const claimOf = (s: RoomState, task: string): string | undefined => {
  const t = s.tasks.get(task)
  return t ? t.claims[t.claimedBy] : undefined
}

function unchanged(s: RoomState, x: SessionState, e: Entry): boolean {
  if (e.status !== x.status || e.length !== x.history.length || e.last !== x.history[x.history.length - 1] || e.claims.length !== x.tasks.length) return false
  for (let i = 0; i < x.tasks.length; i++) if (e.claims[i] !== claimOf(s, x.tasks[i])) return false
  return true
}

const openOrder = (a: InboxRow, b: InboxRow) => a.escalatedAt - b.escalatedAt || (a.session < b.session ? -1 : 1)
const decidedOrder = (a: InboxRow, b: InboxRow) => b.escalatedAt - a.escalatedAt || (a.session < b.session ? -1 : 1)

/**
 * Inbox rows kept across replica changes (10,000 escalations cost ~100 ms to rebuild; a change
 * touches a few): each call still visits every session, but only compares a few references
 * for each, rebuilds only the rows whose session changed, re-sorts only when a row changed
 * (the previous order is nearly sorted), and returns the very same arrays when nothing did,
 * so React skips the list.
 */
export function createInboxRows(): (s: RoomState, filter: InboxFilter) => InboxRow[] {
  const cache = new Map<string, Entry>()
  let pass = 0
  let open: InboxRow[] = []
  let decided: InboxRow[] = []
  const derived = new Map<InboxFilter, { from: [InboxRow[], InboxRow[]]; rows: InboxRow[] }>()
  const update = (s: RoomState) => {
    pass++
    const fresh: InboxRow[] = []
    let stale = false
    let seen = 0
    for (const x of s.sessions.values()) {
      if (x.escalations.length === 0) continue
      seen++
      const had = cache.get(x.id)
      if (had && unchanged(s, x, had)) {
        had.seen = pass
        continue
      }
      const row = rowOf(s, x)
      cache.set(x.id, { status: x.status, length: x.history.length, last: x.history[x.history.length - 1], claims: x.tasks.map((t) => claimOf(s, t)), row, seen: pass })
      if (row) fresh.push(row)
      stale ||= had?.row != null
    }
    // Sessions gone from the state (a replay can drop one): forget them.
    if (seen !== cache.size) {
      for (const [id, e] of cache) if (e.seen !== pass) cache.delete(id)
      stale = true
    }
    if (fresh.length === 0 && !stale) return
    // Rows still current, in their previous order, then the new ones: a nearly sorted input.
    const current = (r: InboxRow) => cache.get(r.session)?.row === r
    open = [...(stale ? open.filter(current) : open), ...fresh.filter((r) => !r.decided)].sort(openOrder)
    decided = [...(stale ? decided.filter(current) : decided), ...fresh.filter((r) => r.decided)].sort(decidedOrder)
  }
  return (s, filter) => {
    update(s)
    if (filter === 'open') return open
    if (filter === 'decided') return decided
    const d = derived.get(filter)
    if (d && d.from[0] === open && d.from[1] === decided) return d.rows
    const rows = filter === 'claimed' ? open.filter((r) => r.claimedBy != null) : [...open, ...decided]
    derived.set(filter, { from: [open, decided], rows })
    return rows
  }
}

/** Rows for a filter (one-off; a view keeps a `createInboxRows()` across changes). */
export function inboxRows(s: RoomState, filter: InboxFilter): InboxRow[] {
  return createInboxRows()(s, filter)
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
