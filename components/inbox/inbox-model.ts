/**
 * The inbox's rows: every request for a human as a reviewer scans them (kind, reason, age,
 * repositories, a one-line summary), filtered by open / claimed / decided / all. Open items
 * come oldest first, the way `selectRequests` orders them; decided ones follow, most recently
 * raised first, saying who decided what.
 */
import type { EscalationReason } from '@/lib/core/events/kinds/session'
import { requestOf, type RequestKind } from '@/lib/core/state/selectors'
import type { Decision, RoomState, SessionState } from '@/lib/core/state/types'
import { approvalsNeeded } from '@/lib/core/sessions/quorum'
import type { InboxFilter } from '@/lib/stores/ui-inbox'
import { readableRules, repositoriesOf, taskTitle } from '@/components/session/names'

/** One inbox row. */
export interface InboxRow {
  session: string
  /** The event that raised the request: read marks and the unread badge key on it. */
  id: string
  kind: RequestKind
  reason?: EscalationReason
  raisedAt: number
  claimedBy: string | null
  repositories: string[]
  summary: string
  decided: boolean
  status: SessionState['status']
  /** For a decided row: the human decision that closed it (who, when, what). */
  decision?: Decision
}

/** "message limit", "ran too long", "asked for by a participant". */
export const REASON_LABEL: Record<EscalationReason, string> = {
  message_limit: 'message limit',
  duration: 'ran too long',
  requested: 'requested',
}

/** The row's label: its kind, and for an escalation its reason. */
export const kindLabel = (r: { kind: RequestKind; reason?: EscalationReason }): string =>
  r.kind === 'approval' ? 'approval requested' : r.kind === 'quorum' ? 'awaiting quorum' : r.reason ? REASON_LABEL[r.reason] : 'escalated'

/** The human decision that settled a session: the last approval, resolution or return. */
export function settlingDecision(x: SessionState): Decision | undefined {
  for (let i = x.decisions.length - 1; i >= 0; i--) {
    const d = x.decisions[i]
    if (d.kind === 'approved' || d.kind === 'resolved' || d.kind === 'returned' || d.kind === 'edited') return d
  }
  return undefined
}

/** A one-line summary: the participant's note, else the latest plan's summary, else the tasks; rules by their names. */
export function summaryOf(s: RoomState, x: SessionState, note?: string): string {
  const line = note ?? x.plans[x.plans.length - 1]?.plan.summary ?? x.tasks.map((t) => taskTitle(s, t)).join(' ↔ ')
  return readableRules(line.replace(/\s+/g, ' ').trim(), s)
}

/** The row of a session with an open request, or one a human decided, else null. */
function rowOf(s: RoomState, x: SessionState, needed: number): InboxRow | null {
  const q = requestOf(s, x, needed)
  if (q) {
    return { session: x.id, id: q.id, kind: q.kind, ...(q.reason ? { reason: q.reason } : {}), raisedAt: q.at, claimedBy: q.claimedBy, repositories: repositoriesOf(s, x.tasks), summary: summaryOf(s, x, q.note), decided: false, status: x.status }
  }
  const last = x.escalations[x.escalations.length - 1]
  const decision = settlingDecision(x)
  if (!decision || (!last && x.decisions.every((d) => d.kind !== 'approved'))) return null
  const note = last?.note
  const kind: RequestKind = last ? (last.reason === 'requested' ? 'approval' : 'escalation') : 'quorum'
  return { session: x.id, id: last?.event ?? decision.event, kind, ...(last ? { reason: last.reason } : {}), raisedAt: last?.at ?? decision.time, claimedBy: null, repositories: repositoriesOf(s, x.tasks), summary: summaryOf(s, x, note), decided: true, status: x.status, decision }
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

const openOrder = (a: InboxRow, b: InboxRow) => a.raisedAt - b.raisedAt || (a.session < b.session ? -1 : 1)
const decidedOrder = (a: InboxRow, b: InboxRow) => b.raisedAt - a.raisedAt || (a.session < b.session ? -1 : 1)

/**
 * Inbox rows kept across replica changes (10,000 escalations cost ~100 ms to rebuild; a change
 * touches a few): each call still visits every session, but only compares a few references
 * for each, rebuilds only the rows whose session changed, re-sorts only when a row changed
 * (the previous order is nearly sorted), and returns the very same arrays when nothing did,
 * so React skips the list.
 */
export function createInboxRows(): (s: RoomState, filter: InboxFilter) => InboxRow[] {
  const cache = new Map<string, Entry>()
  let lastNeeded = -1
  let pass = 0
  let open: InboxRow[] = []
  let decided: InboxRow[] = []
  const derived = new Map<InboxFilter, { from: [InboxRow[], InboxRow[]]; rows: InboxRow[] }>()
  const update = (s: RoomState) => {
    pass++
    const fresh: InboxRow[] = []
    let stale = false
    let seen = 0
    const needed = approvalsNeeded(s.config, s.members.values())
    if (needed !== lastNeeded) (cache.clear(), (lastNeeded = needed))
    for (const x of s.sessions.values()) {
      if (x.escalations.length === 0 && x.approvals.length === 0 && !x.decisions.some((d) => d.kind === 'approved')) continue
      seen++
      const had = cache.get(x.id)
      if (had && unchanged(s, x, had)) {
        had.seen = pass
        continue
      }
      const row = rowOf(s, x, needed)
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

/** Open requests this tab has not opened yet: the navigation badge and the tab title. */
export function unreadCount(s: RoomState, read: ReadonlySet<string>): number {
  let n = 0
  let needed: number | undefined
  for (const x of s.sessions.values()) {
    if (x.status === 'escalated' && x.escalation) {
      if (!read.has(x.escalation.event)) n++
    } else if (x.status === 'active' && x.approvals.length > 0) {
      needed ??= approvalsNeeded(s.config, s.members.values())
      const q = requestOf(s, x, needed)
      if (q && !read.has(q.id)) n++
    }
  }
  return n
}

/** The row `delta` steps from `current` (clamped); the first row when nothing is selected. */
export function step(rows: readonly InboxRow[], current: string | null, delta: number): string | null {
  if (rows.length === 0) return null
  const i = rows.findIndex((r) => r.session === current)
  if (i < 0) return rows[0].session
  return rows[Math.min(rows.length - 1, Math.max(0, i + delta))].session
}
