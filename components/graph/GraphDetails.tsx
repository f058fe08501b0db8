'use client'
/** What a clicked task or dependency is, with links to its sessions and a neighbourhood toggle. */
import Link from 'next/link'
import type { RoomState } from '@/lib/core/state/types'
import { Badge } from '@/components/ui/Badge'
import { peerName } from '@/components/session/names'
import { STATUS_TONE } from '@/components/sessions/status'
import { ruleColour, type GraphEdge } from './graph-model'

function EdgeLine({ e, state }: { e: GraphEdge; state: RoomState }) {
  return (
    <li className="space-y-0.5 border-t border-zinc-100 pt-1 dark:border-zinc-800">
      <p><span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: ruleColour(e.rule) }} />{e.rule} · {state.tasks.get(e.source)?.task.title ?? e.source} ↔ {state.tasks.get(e.target)?.task.title ?? e.target}</p>
      <p className="text-xs text-muted">{e.reason} (confidence {e.confidence.toFixed(2)})</p>
      {e.session ? (
        <p><Badge tone={STATUS_TONE[e.sessionStatus!]}>{e.sessionStatus}</Badge> <Link href={`/sessions/${e.session}`} className="text-sky-700 underline dark:text-sky-400" data-testid="graph-session-link">open session</Link></p>
      ) : <p className="text-xs text-muted">no session yet</p>}
    </li>
  )
}

/** Details of the selected task (with its edges) or edge. */
export function GraphDetails({ state, edges, task, edge, focused, onFocus }: {
  state: RoomState
  edges: GraphEdge[]
  task: string | null
  edge: string | null
  focused: boolean
  onFocus(on: boolean): void
}) {
  const e = edge ? edges.find((x) => x.id === edge) : undefined
  if (e) return <aside aria-label="Dependency details" className="text-sm" data-testid="graph-details"><ul><EdgeLine e={e} state={state} /></ul></aside>
  const t = task ? state.tasks.get(task) : undefined
  if (!t) return <p className="text-sm text-muted">Click a task or a dependency for details.</p>
  const mine = edges.filter((x) => x.source === task || x.target === task)
  return (
    <aside aria-label="Task details" className="space-y-2 text-sm" data-testid="graph-details">
      <h2 className="font-semibold">{t.task.title}</h2>
      <p className="text-xs text-muted">{t.task.repository} · {t.status} · {peerName(state, t.claimedBy)}{t.claimants.length > 1 && ` · ${t.claimants.length} claimants`}</p>
      {t.task.description && <p className="whitespace-pre-wrap">{t.task.description}</p>}
      <button type="button" className="btn" onClick={() => onFocus(!focused)}>{focused ? 'Show everything' : 'Show its neighbourhood'}</button>
      <ul className="space-y-1">{mine.map((x) => <EdgeLine key={x.id} e={x} state={state} />)}</ul>
    </aside>
  )
}
