'use client'
/**
 * "Find a task" by title or id: in a room of thousands of tasks the canvas shows repositories
 * when zoomed out, so this is how a reviewer gets to one task (and from there to its
 * neighbourhood). The suggestions list is built only while the field has focus.
 */
import { useMemo, useState } from 'react'
import type { GraphNode } from './graph-model'

/** The best match for `q`: an exact id or title, else the first title containing it. */
export function findTask(nodes: readonly GraphNode[], q: string): GraphNode | undefined {
  const s = q.trim().toLowerCase()
  if (!s) return undefined
  return nodes.find((n) => n.id.toLowerCase() === s || n.title.toLowerCase() === s) ?? nodes.find((n) => n.title.toLowerCase().includes(s))
}

/** The search field; `onFound` gets the task id. */
export function FindTask({ nodes, onFound }: { nodes: readonly GraphNode[]; onFound(id: string): void }) {
  const [q, setQ] = useState('')
  const [active, setActive] = useState(false)
  const [missing, setMissing] = useState(false)
  const titles = useMemo(() => (active ? [...new Set(nodes.map((n) => n.title))].sort() : []), [active, nodes])
  return (
    <form
      role="search"
      className="flex flex-wrap items-center gap-1 text-sm"
      onSubmit={(e) => {
        e.preventDefault()
        const found = findTask(nodes, q)
        setMissing(!found)
        if (found) onFound(found.id)
      }}
    >
      <label htmlFor="find-task">Find a task</label>
      <input id="find-task" type="search" className="field w-44 sm:w-56" list="find-task-titles" value={q} onFocus={() => setActive(true)} onChange={(e) => (setQ(e.target.value), setMissing(false))} data-testid="find-task" aria-describedby={missing ? 'find-task-missing' : undefined} />
      <datalist id="find-task-titles">{titles.map((t) => <option key={t} value={t} />)}</datalist>
      <button type="submit" className="btn">Find</button>
      {missing && <span id="find-task-missing" role="status" className="text-amber-800 dark:text-amber-300">No task matches “{q.trim()}”.</span>}
    </form>
  )
}
