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

/** Rows for a filter, kept across replica changes (see `createInboxRows`). */
export interface InboxRowsOf {
  (s: RoomState, filter: InboxFilter): InboxRow[]
  /**
   * True when the last call spent its slice with rows still to build: the rows it returned
   * are what is built so far, and the caller calls again after yielding to the browser.
   */
  readonly unfinished: boolean
}

/** How long one call may spend building rows, and the clock it is judged by. */
export interface InboxSlice {
  ms: number
  clock?: () => number
}

/** Rows built between two reads of the clock: a row costs microseconds, a read is cheap. */
const ROWS_PER_CHECK = 32

/** Two lists sorted by `order`, as one: a linear merge, since the kept rows are in order already. */
function merged(a: InboxRow[], b: InboxRow[], order: (x: InboxRow, y: InboxRow) => number): InboxRow[] {
  if (b.length === 0) return a
  const out: InboxRow[] = new Array(a.length + b.length)
  let i = 0
  let j = 0
  for (let k = 0; k < out.length; k++) out[k] = j === b.length || (i < a.length && order(a[i], b[j]) <= 0) ? a[i++] : b[j++]
  return out
}

/**
 * Inbox rows kept across replica changes (a change touches a few of thousands): each call
 * still visits every session, but only compares a few references for each, rebuilds only the
 * rows whose session changed, sorts only those and merges them into the kept order, and
 * returns the very same arrays when nothing changed, so React skips the list. With a `slice`,
 * a call that has many rows to build (a tab opening on a replayed room) stops building when
 * the slice is spent and returns the rows so far, in order, so no single task of the page
 * builds them all; the next call goes on from there.
 */
export function createInboxRows(slice?: InboxSlice): InboxRowsOf {
  const clock = slice?.clock ?? (() => performance.now())
  const cache = new Map<string, Entry>()
  let lastNeeded = -1
  let pass = 0
  let open: InboxRow[] = []
  let decided: InboxRow[] = []
  let unfinished = false
  const derived = new Map<InboxFilter, { from: [InboxRow[], InboxRow[]]; rows: InboxRow[] }>()
  const update = (s: RoomState) => {
    pass++
    const fresh: InboxRow[] = []
    const deadline = slice ? clock() + slice.ms : Infinity
    let stale = false
    let seen = 0
    // Sessions seen for the first time but left for a later call: not in the cache yet.
    let deferred = 0
    let built = 0
    unfinished = false
    const needed = approvalsNeeded(s.config, s.members.values())
    // Every row depends on the quorum: when it changes, they are all built again.
    if (needed !== lastNeeded) {
      cache.clear()
      lastNeeded = needed
      open = []
      decided = []
      stale = true
    }
    for (const x of s.sessions.values()) {
      if (x.escalations.length === 0 && x.approvals.length === 0 && !x.decisions.some((d) => d.kind === 'approved')) continue
      seen++
      const had = cache.get(x.id)
      if (had && unchanged(s, x, had)) {
        had.seen = pass
        continue
      }
      // Out of time: a changed session keeps its previous row (its entry stays out of date, so
      // the next call rebuilds it); a new one waits for the next call.
      if (unfinished || (++built % ROWS_PER_CHECK === 0 && clock() > deadline)) {
        unfinished = true
        if (had) had.seen = pass
        else deferred++
        continue
      }
      const row = rowOf(s, x, needed)
      cache.set(x.id, { status: x.status, length: x.history.length, last: x.history[x.history.length - 1], claims: x.tasks.map((t) => claimOf(s, t)), row, seen: pass })
      if (row) fresh.push(row)
      stale ||= had?.row != null
    }
    // Sessions gone from the state (a replay can drop one): forget them.
    if (seen - deferred !== cache.size) {
      for (const [id, e] of cache) if (e.seen !== pass) cache.delete(id)
      stale = true
    }
    if (fresh.length === 0 && !stale) return
    // Rows still current, in their previous order, merged with the new ones.
    const current = (r: InboxRow) => cache.get(r.session)?.row === r
    open = merged(stale ? open.filter(current) : open, fresh.filter((r) => !r.decided).sort(openOrder), openOrder)
    decided = merged(stale ? decided.filter(current) : decided, fresh.filter((r) => r.decided).sort(decidedOrder), decidedOrder)
  }
  const rowsOf = (s: RoomState, filter: InboxFilter): InboxRow[] => {
    update(s)
    if (filter === 'open') return open
    if (filter === 'decided') return decided
    const d = derived.get(filter)
    if (d && d.from[0] === open && d.from[1] === decided) return d.rows
    const rows = filter === 'claimed' ? open.filter((r) => r.claimedBy != null) : [...open, ...decided]
    derived.set(filter, { from: [open, decided], rows })
    return rows
  }
  return Object.defineProperty(rowsOf, 'unfinished', { get: () => unfinished }) as InboxRowsOf
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
