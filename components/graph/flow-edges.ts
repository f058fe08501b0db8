/**
 * What React Flow gets for the dependencies, split in two: the edge objects (ends, arrow,
 * label, accessible name) and each edge's look (width, dashes: what a session's state or the
 * selection changes). React Flow rebuilds its lookup of every edge whenever its edge array
 * changes, so the looks — which change most often, one session at a time — live beside it in an
 * `EdgeLooks` store that re-renders only the edges whose look changed.
 */
import { MarkerType, type Edge } from '@xyflow/react'
import { ruleName } from '@/components/session/names'
import { ruleColour, type GraphEdge } from './graph-model'
import { sameData } from './keep'

/** How a dependency's line is drawn. */
export interface EdgeLook {
  stroke: string
  strokeWidth: number
  strokeDasharray?: string
}

/** A dependency as React Flow's edge, drawn by the `dep` edge type (edges.tsx). */
export type DepEdge = Edge<{ rule: string }, 'dep'>

/** The edge objects and their looks for `edges`; `selected` is the selected dependency. */
export function flowEdges(edges: readonly GraphEdge[], titleOf: (id: string) => string, selected: string | null): { edges: DepEdge[]; looks: Map<string, EdgeLook> } {
  const looks = new Map<string, EdgeLook>()
  const out = edges.map((e): DepEdge => {
    const colour = ruleColour(e.rule)
    looks.set(e.id, { stroke: colour, strokeWidth: e.sessionStatus === 'escalated' ? 3.5 : e.id === selected ? 3 : 1.75, ...(e.session ? {} : { strokeDasharray: '5 4' }) })
    return {
      id: e.id, type: 'dep', source: e.source, target: e.target,
      markerEnd: e.order === 'none' ? undefined : { type: MarkerType.ArrowClosed, color: colour, width: 18, height: 18 },
      label: ruleName(e.rule), data: { rule: e.rule },
      ariaLabel: e.order === 'none' ? `${titleOf(e.source)} and ${titleOf(e.target)} in parallel (${ruleName(e.rule)})` : `${titleOf(e.source)} goes before ${titleOf(e.target)} (${ruleName(e.rule)})`,
      domAttributes: { 'data-first': e.source, 'data-then': e.target, 'data-order': e.order } as Record<string, string>,
    }
  })
  return { edges: out, looks }
}

/** Each edge's look, with a subscription per edge (for `useSyncExternalStore`). */
export class EdgeLooks {
  private looks = new Map<string, EdgeLook>()
  private readonly listeners = new Map<string, Set<() => void>>()

  /** The look of `id`, or undefined before the first `set` that has it. */
  get(id: string): EdgeLook | undefined {
    return this.looks.get(id)
  }

  /** Calls `cb` whenever the look of `id` changes; returns the unsubscribe. */
  subscribe(id: string, cb: () => void): () => void {
    let set = this.listeners.get(id)
    if (!set) this.listeners.set(id, (set = new Set()))
    set.add(cb)
    return () => {
      set.delete(cb)
      if (set.size === 0) this.listeners.delete(id)
    }
  }

  /** Replaces every look; only the edges whose look differs as data are told, and keep their old object otherwise. */
  set(next: ReadonlyMap<string, EdgeLook>): void {
    const prev = this.looks
    const kept = new Map<string, EdgeLook>()
    const changed: string[] = []
    for (const [id, look] of next) {
      const old = prev.get(id)
      if (old !== undefined && sameData(old, look)) kept.set(id, old)
      else (kept.set(id, look), changed.push(id))
    }
    this.looks = kept
    for (const id of changed) for (const cb of this.listeners.get(id) ?? []) cb()
  }
}
