'use client'
/** `/sessions`: every coordination session, newest first, filtered by type, state and repository. */
import Link from 'next/link'
import { useMemo, useState } from 'react'
import { SESSION_TYPES } from '@/lib/core/events/kinds/session'
import { selectSessions } from '@/lib/core/state/selectors'
import { useRoom } from '@/components/mesh/use-room'
import { Badge } from '@/components/ui/Badge'
import { ago, useNow } from '@/components/ui/use-now'
import { repositoriesOf, ruleName, taskTitle } from '@/components/session/names'
import { allRepositories, filterSessions, type SessionFilter } from './sessions-model'
import { STATUS_TONE } from './status'

const STATUSES = ['active', 'escalated', 'resolved', 'closed'] as const
const LIMIT = 500

/** The session list page. */
export function SessionsView() {
  const [filter, setFilter] = useState<SessionFilter>({ type: '', status: '', repository: '', archived: false })
  const state = useRoom((s) => s)
  const sessions = useRoom(selectSessions)
  const repos = useRoom(allRepositories)
  const rows = useMemo(() => (state && sessions ? filterSessions(state, sessions, filter) : []), [state, sessions, filter])
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
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Sessions table" data-focus-inset>
        <table className="w-full text-left text-sm" data-testid="sessions-table">
          <thead className="border-b border-zinc-200 text-xs uppercase text-muted dark:border-zinc-800">
            <tr><th className="py-2 pr-3 font-medium">State</th><th className="pr-3 font-medium">Type · rule</th><th className="pr-3 font-medium">Tasks</th><th className="pr-3 font-medium">Repositories</th><th className="pr-3 font-medium">Messages</th><th className="font-medium">Last activity</th></tr>
          </thead>
          <tbody>
            {rows.slice(0, LIMIT).map((x) => (
              <tr key={x.id} className="border-b border-zinc-100 dark:border-zinc-900" data-testid="session-row" data-session={x.id}>
                <td className="py-1.5 pr-3"><Badge tone={STATUS_TONE[x.status]}>{x.status}</Badge></td>
                <td className="pr-3">{x.type} · <span title={x.rule}>{ruleName(x.rule)}</span></td>
                <td className="max-w-xs truncate pr-3"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/sessions/${x.id}`}>{x.tasks.map((t) => taskTitle(state, t)).join(' ↔ ')}</Link></td>
                <td className="pr-3 text-xs text-muted">{repositoriesOf(state, x.tasks).join(' · ')}</td>
                <td className="pr-3">{x.messages.length}</td>
                <td className="text-xs text-muted">{ago(x.lastActivity, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {rows.length > LIMIT && <p className="text-xs text-muted">Showing the newest {LIMIT} of {rows.length}; narrow the filters to see others.</p>}
    </section>
  )
}
