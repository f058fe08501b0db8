'use client'
/**
 * "Who waits for whom" as text: the same dependencies as the canvas, one line each, first task
 * → waiting task. The canvas's accessible twin, and what a phone reads when cards are small.
 */
import { memo, useEffect, useState } from 'react'
import type { RoomState } from '@/lib/core/state/types'
import { ruleName, taskTitle } from '@/components/session/names'
import { orientEdge, ruleColour, type GraphEdge } from './graph-model'

const LIMIT = 200
/** Lines added per frame: the page's first layout then holds a few of them, not all 200. */
const CHUNK = 25

/**
 * The list; `onTask` selects a task on the canvas. What it shows is what the graph's edges and
 * nodes hold (titles, rules, orders, sessions' states), so it renders again when the page's graph
 * is rebuilt, not on every change of the room the page renders for (`state` is the one replica
 * state, changed in place).
 */
export const WaitList = memo(function WaitList({ state, edges, onTask }: { state: RoomState; edges: GraphEdge[]; onTask(id: string): void }) {
  const [lines, setLines] = useState(CHUNK)
  const all = Math.min(LIMIT, edges.length)
  useEffect(() => {
    if (lines >= all) return
    const f = requestAnimationFrame(() => setLines((n) => n + CHUNK))
    return () => cancelAnimationFrame(f)
  }, [lines, all])
  const shown = edges.slice(0, Math.min(lines, LIMIT)).map((e) => (e.why === '' && e.order !== 'plan' ? orientEdge(state, e) : e))
  return (
    <section aria-labelledby="waits-title" className="space-y-1" data-testid="wait-list">
      <h2 id="waits-title" className="text-sm font-semibold">Who waits for whom</h2>
      <ul className="space-y-1 text-sm">
        {shown.map((e) => (
          <li key={e.id} className="flex flex-wrap items-center gap-1" data-testid="wait" data-first={e.source} data-then={e.target}>
            <span className="inline-block h-2 w-2 rounded-full" style={{ background: ruleColour(e.rule) }} aria-hidden />
            <button type="button" className="underline decoration-dotted" onClick={() => onTask(e.source)} title={e.source}>{taskTitle(state, e.source)}</button>
            <span aria-hidden>{e.order === 'none' ? '↔' : '→'}</span>
            <span className="sr-only">{e.order === 'none' ? 'in parallel with' : 'goes before'}</span>
            <button type="button" className="underline decoration-dotted" onClick={() => onTask(e.target)} title={e.target}>{taskTitle(state, e.target)}</button>
            <span className="text-xs text-muted" title={e.rule}>· {ruleName(e.rule)}{e.order === 'plan' ? ' · order from the plan' : ''}{e.sessionStatus ? ` · ${e.sessionStatus}` : ''}</span>
          </li>
        ))}
      </ul>
      {edges.length > LIMIT && <p className="text-xs text-muted">The first {LIMIT} of {edges.length}; filter or focus to see others.</p>}
    </section>
  )
})
