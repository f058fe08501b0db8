'use client'
/** What a selected task or dependency is — why it exists in words — with links to sessions and a neighbourhood toggle. */
import Link from 'next/link'
import { useMemo, useState } from 'react'
import type { RoomState } from '@/lib/core/state/types'
import { Badge } from '@/components/ui/Badge'
import { peerName, readableRules, ruleName, taskTitle } from '@/components/session/names'
import { STATUS_TONE } from '@/components/sessions/status'
import { linkRelevance } from './focus'
import { orientEdge, ruleColour, type GraphEdge } from './graph-model'

function EdgeLine({ e, state, onEdge }: { e: GraphEdge; state: RoomState; onEdge?(id: string): void }) {
  return (
    <li className="space-y-0.5 border-t border-zinc-100 pt-1 dark:border-zinc-800" data-testid="edge-detail" data-first={e.source} data-then={e.target}>
      <p>
        <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: ruleColour(e.rule) }} aria-hidden />
        <span title={e.rule}>{ruleName(e.rule)}</span>:{' '}
        {onEdge ? <button type="button" className="underline decoration-dotted" onClick={() => onEdge(e.id)}>{taskTitle(state, e.source)} {e.order === 'none' ? '↔' : '→'} {taskTitle(state, e.target)}</button>
          : <>{taskTitle(state, e.source)} {e.order === 'none' ? 'and' : 'goes before'} {taskTitle(state, e.target)}</>}
      </p>
      <p className="text-xs text-muted" data-testid="edge-why" title={e.reason}>{readableRules(e.why || e.reason, state)} (confidence {e.confidence.toFixed(2)}{e.order === 'plan' ? '; order from the plan' : ''})</p>
      {e.session ? (
        <p><Badge tone={STATUS_TONE[e.sessionStatus!]}>{e.sessionStatus}</Badge> <Link href={`/sessions/${e.session}`} className="text-sky-700 underline dark:text-sky-400" data-testid="graph-session-link">open session</Link></p>
      ) : <p className="text-xs text-muted">no session yet</p>}
    </li>
  )
}

/**
 * How many of a task's dependencies the panel lists before "show more": a hub task has hundreds,
 * and each line reads both tasks' text to say why.
 */
const EDGE_PAGE = 20

/** The selected task's dependencies, a page at a time; keyed by task, so a new task starts at one page. */
function TaskEdges({ state, edges, task, onEdge }: { state: RoomState; edges: GraphEdge[]; task: string; onEdge(id: string): void }) {
  const [limit, setLimit] = useState(EDGE_PAGE)
  // Most relevant first, as the focus mode picks them: open sessions, then the strongest links.
  const mine = useMemo(() => edges.filter((x) => x.source === task || x.target === task).sort((a, b) => linkRelevance(b) - linkRelevance(a)), [edges, task])
  return (
    <>
      {mine.length > EDGE_PAGE && <p className="text-xs text-muted" data-testid="task-edge-count">{mine.length} dependencies</p>}
      <ul className="space-y-1">{mine.slice(0, limit).map((x) => <EdgeLine key={x.id} e={orientEdge(state, x)} state={state} onEdge={onEdge} />)}</ul>
      {mine.length > limit && <button type="button" className="btn" onClick={() => setLimit(limit + EDGE_PAGE * 2)}>Show {Math.min(EDGE_PAGE * 2, mine.length - limit)} more of {mine.length - limit}</button>}
    </>
  )
}

/** Details of the selected task (with its dependencies, each selectable) or dependency. */
export function GraphDetails({ state, edges, task, edge, focused, onFocus, onEdge }: {
  state: RoomState
  edges: GraphEdge[]
  task: string | null
  edge: string | null
  focused: boolean
  onFocus(on: boolean): void
  onEdge(id: string): void
}) {
  const found = edge ? edges.find((x) => x.id === edge) : undefined
  if (found) return <aside aria-label="Dependency details" className="text-sm" data-testid="graph-details"><ul><EdgeLine e={orientEdge(state, found)} state={state} /></ul></aside>
  const t = task ? state.tasks.get(task) : undefined
  if (!t) return <p className="text-sm text-muted">Select a task (click it, or Tab to it and press Enter) or a line of “Who waits for whom”.</p>
  return (
    <aside aria-label="Task details" className="space-y-2 text-sm" data-testid="graph-details">
      <h2 className="font-semibold" title={t.task.taskId}>{t.task.title}</h2>
      <p className="text-xs text-muted">{t.task.repository} · {t.status} · {peerName(state, t.claimedBy)}{t.claimants.length > 1 && ` · ${t.claimants.length} claimants`}</p>
      {t.task.description && <p className="whitespace-pre-wrap">{t.task.description}</p>}
      <button type="button" className="btn" onClick={() => onFocus(!focused)} data-testid="focus-toggle">{focused ? 'Show everything' : 'Focus on its neighbourhood'}</button>
      <TaskEdges key={task} state={state} edges={edges} task={task!} onEdge={onEdge} />
    </aside>
  )
}
