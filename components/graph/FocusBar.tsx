'use client'
/**
 * Above the canvas in focus mode: how much of the focused task's neighbourhood is shown, and
 * the "+K more" list of the neighbours the cap left out (most relevant first), each of which
 * can be brought onto the canvas or selected.
 */
import { useState } from 'react'
import type { RoomState } from '@/lib/core/state/types'
import { taskTitle } from '@/components/session/names'

/** How many of the left-out neighbours the list renders per "show more". */
const PAGE = 50

/** The bar; `shown` counts the neighbours on the canvas; `onShow` brings a task onto the canvas, `onSelect` selects it. */
export function FocusBar({ state, focus, shown, more, onShow, onSelect }: {
  state: RoomState
  focus: string
  shown: number
  more: readonly string[]
  onShow(id: string): void
  onSelect(id: string): void
}) {
  const [open, setOpen] = useState(false)
  const [limit, setLimit] = useState(PAGE)
  const repo = (id: string) => state.tasks.get(id)?.task.repository ?? ''
  return (
    <div className="space-y-1 rounded border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800" data-testid="focus-bar">
      <p>
        Around <b title={focus}>{taskTitle(state, focus)}</b>: {more.length > 0 ? `the ${shown} most relevant of ${shown + more.length} neighbours (open sessions first, then the strongest links)` : `${shown} neighbour${shown === 1 ? '' : 's'}`}
        {more.length > 0 && (
          <> · <button type="button" className="btn" aria-expanded={open} aria-controls="focus-more" onClick={() => setOpen(!open)} data-testid="focus-more-toggle">+{more.length} more</button></>
        )}
      </p>
      {open && more.length > 0 && (
        <div id="focus-more" className="max-h-64 overflow-y-auto" tabIndex={0} role="region" aria-label="Neighbours not shown">
          <ul className="space-y-0.5" data-testid="focus-more">
            {more.slice(0, limit).map((id) => (
              <li key={id} className="flex flex-wrap items-center gap-2" data-task={id}>
                <button type="button" className="underline decoration-dotted" title={id} onClick={() => onSelect(id)}>{taskTitle(state, id)}</button>
                <span className="text-xs text-muted">{repo(id)}</span>
                <button type="button" className="btn text-xs" onClick={() => onShow(id)} aria-label={`Show ${taskTitle(state, id)} on the canvas`}>show</button>
              </li>
            ))}
          </ul>
          {more.length > limit && <button type="button" className="btn mt-1" onClick={() => setLimit(limit + PAGE)}>Show {Math.min(PAGE, more.length - limit)} more of {more.length - limit}</button>}
        </div>
      )}
    </div>
  )
}
