/** Filtering the session list. */
import type { SessionType } from '@/lib/core/events/kinds/session'
import type { SessionView } from '@/lib/core/state/selectors'
import type { RoomState, SessionStatus } from '@/lib/core/state/types'
import { repositoriesOf } from '@/components/session/names'

/** The list shows at most this many sessions, the newest first: more rows than a reviewer scans, and a bounded layout. */
export const SESSIONS_SHOWN = 500

/** The list's filters; empty string = any. */
export interface SessionFilter {
  type: SessionType | ''
  status: SessionStatus | ''
  repository: string
  /** Closed sessions are archived: hidden unless asked for (or filtered by state "closed"). */
  archived: boolean
}

/** Sessions matching the filter, in the selector's order (newest first). */
export function filterSessions(s: RoomState, sessions: readonly SessionView[], f: SessionFilter): SessionView[] {
  return sessions.filter(
    (x) => (f.archived || f.status === 'closed' || !x.archived) && (!f.type || x.type === f.type) && (!f.status || x.status === f.status) && (!f.repository || repositoriesOf(s, x.tasks).includes(f.repository)),
  )
}

/** Every repository with a task, sorted. */
export const allRepositories = (s: RoomState): string[] => [...new Set([...s.tasks.values()].map((t) => t.task.repository))].sort()
