'use client'
/**
 * `/sessions`: every coordination session, newest first, filtered by type, state and repository.
 * The rows are a virtualised list (only those in view are in the DOM), so a change of the room
 * or the clock's tick lays out a screenful, not every session.
 */
import { useRouter } from 'next/navigation'
import { useMemo, useState } from 'react'
import { SESSION_TYPES } from '@/lib/core/events/kinds/session'
import { selectSessions } from '@/lib/core/state/selectors'
import { useRoom } from '@/components/mesh/use-room'
import { Badge } from '@/components/ui/Badge'
import { VirtualList } from '@/components/ui/VirtualList'
import { ago, useNow } from '@/components/ui/use-now'
import { repositoriesOf, ruleName, taskTitle } from '@/components/session/names'
import { allRepositories, filterSessions, SESSIONS_SHOWN, type SessionFilter } from './sessions-model'
import { STATUS_TONE } from './status'

const STATUSES = ['active', 'escalated', 'resolved', 'closed'] as const
const ROW = 40
/** The columns of the header and of every row (wider than a phone: the list then scrolls sideways). */
const COLUMNS = 'grid grid-cols-[6.5rem_minmax(0,1.2fr)_minmax(0,2fr)_minmax(0,1fr)_5.5rem_7rem] gap-3'

/** The DOM id of a row, for `aria-activedescendant`. */
const optionId = (session: string): string => `session-option-${session}`

/** The session list page. */
export function SessionsView() {
  const [filter, setFilter] = useState<SessionFilter>({ type: '', status: '', repository: '', archived: false })
  const state = useRoom((s) => s)
  const sessions = useRoom(selectSessions)
  const repos = useRoom(allRepositories)
  const rows = useMemo(() => (state && sessions ? filterSessions(state, sessions, filter) : []), [state, sessions, filter])
  const shown = useMemo(() => rows.slice(0, SESSIONS_SHOWN), [rows])
  const [active, setActive] = useState<string | null>(null)
  const router = useRouter()
  const now = useNow(5000)
  return (
    <section className="space-y-4" aria-labelledby="sessions-title">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 id="sessions-title" className="text-xl font-semibold">Sessions</h1>
          <p className="text-sm text-muted">Coordination sessions the mesh opened between agents. Updates live.</p>
        </div>
        <div className="ml-auto flex flex-wrap gap-2 text-sm">
          <label className="flex items-center gap-1">Type
            <select className="field" value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value as SessionFilter['type'] })}>
              <option value="">any</option>
              {SESSION_TYPES.map((t) => <option key={t}>{t}</option>)}
            </select>
          </label>
          <label className="flex items-center gap-1">State
            <select className="field" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as SessionFilter['status'] })}>
              <option value="">any</option>
              {STATUSES.map((t) => <option key={t}>{t}</option>)}
            </select>
          </label>
          <label className="flex items-center gap-1">Repository
            <select className="field" value={filter.repository} onChange={(e) => setFilter({ ...filter, repository: e.target.value })}>
              <option value="">any</option>
              {(repos ?? []).map((r) => <option key={r}>{r}</option>)}
            </select>
          </label>
          <label className="flex items-center gap-1"><input type="checkbox" checked={filter.archived} onChange={(e) => setFilter({ ...filter, archived: e.target.checked })} /> archived</label>
        </div>
      </div>
      {state == null ? (
        <p className="text-sm text-muted">Loading the room …</p>
      ) : rows.length === 0 ? (
        <p className="rounded border border-dashed border-zinc-300 p-6 text-sm text-muted dark:border-zinc-700" data-testid="sessions-empty">
          No sessions{sessions?.length ? ' match these filters' : ' yet'}. A session opens when two agents claim tasks that depend on each other
          (or the same task); start some with <code className="font-mono">npm start -- --demo</code>.
        </p>
      ) : (
        <div className="overflow-x-auto rounded border border-zinc-200 text-sm dark:border-zinc-800">
          <div className="min-w-[52rem]">
            <div className={`${COLUMNS} border-b border-zinc-200 px-3 py-2 text-xs font-medium uppercase text-muted dark:border-zinc-800`} aria-hidden="true">
              <span>State</span><span>Type · rule</span><span>Tasks</span><span>Repositories</span><span>Messages</span><span>Last activity</span>
            </div>
            <VirtualList
              items={shown}
              rowHeight={ROW}
              keyOf={(x) => x.id}
              optionId={optionId}
              active={active}
              onActive={setActive}
              onOpen={(id) => router.push(`/sessions/${id}`)}
              href={(id) => `/sessions/${id}`}
              arrows
              label="Sessions, newest first; Enter opens one"
              className="max-h-[70vh]"
              attributes={{ 'data-testid': 'sessions-table', 'data-count': shown.length, 'data-focus-inset': true }}
              option={(x, on) => ({
                attributes: {
                  'data-testid': 'session-row', 'data-session': x.id,
                  className: `${COLUMNS} cursor-pointer items-center border-b border-zinc-100 px-3 dark:border-zinc-900 ${on ? 'bg-sky-50 ring-2 ring-inset ring-sky-600 dark:bg-sky-950' : 'hover:bg-zinc-50 dark:hover:bg-zinc-900'}`,
                },
                content: (
                  <>
                    <span><Badge tone={STATUS_TONE[x.status]}>{x.status}</Badge></span>
                    <span className="truncate">{x.type} · <span title={x.rule}>{ruleName(x.rule)}</span></span>
                    <span className="truncate text-sky-700 dark:text-sky-400">{x.tasks.map((t) => taskTitle(state, t)).join(' ↔ ')}</span>
                    <span className="truncate text-xs text-muted">{repositoriesOf(state, x.tasks).join(' · ')}</span>
                    <span>{x.messages.length}<span className="sr-only"> messages</span></span>
                    <span className="truncate text-xs text-muted"><span className="sr-only">last activity </span>{ago(x.lastActivity, now)}</span>
                  </>
                ),
              })}
            />
          </div>
        </div>
      )}
      {rows.length > SESSIONS_SHOWN && <p className="text-xs text-muted">Showing the newest {SESSIONS_SHOWN} of {rows.length}; narrow the filters to see others.</p>}
    </section>
  )
}
