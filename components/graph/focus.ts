/**
 * The neighbourhood of a focused task, capped so that it stays readable: a hub task can depend
 * on hundreds of others, and a canvas of hundreds of cards around it is as unreadable as the
 * whole room. Tasks are taken ring by ring (one hop, then two …), the most relevant first
 * within a ring, until `cap` besides the focus; the rest of the ring where the cap was reached
 * is returned as `more`, in the same order, for a "+K more" list. Rings beyond are not explored
 * from tasks left out, so every kept task is connected to the focus through kept tasks.
 */
import type { SessionStatus } from '@/lib/core/state/types'

/** What ranking needs of an edge (GraphEdge has it). */
export interface FocusEdge {
  source: string
  target: string
  confidence: number
  order: 'plan' | 'rule' | 'none'
  sessionStatus: SessionStatus | null
}

/** How many neighbours a focus shows before the rest go to "+K more". */
export const FOCUS_CAP = 24

/** Open work first: an escalated session needs a human, an active one is being settled. */
const STATUS_WEIGHT: Partial<Record<SessionStatus, number>> = { escalated: 4, active: 3 }

/** Relevance of a dependency (the link through which a task was reached): a larger number comes first. */
export function linkRelevance(e: FocusEdge): number {
  const session = e.sessionStatus == null ? 0 : STATUS_WEIGHT[e.sessionStatus] ?? 1
  return session * 10 + (e.order === 'none' ? 0 : 2) + e.confidence
}

/** The kept neighbourhood (focus included) and the ranked rest of the ring the cap cut. */
export interface Focus {
  keep: Set<string>
  more: string[]
}

/**
 * Tasks within `hops` of `focus`, at most `cap` of them besides the focus, plus `pinned`
 * (tasks the reviewer brought back from "+K more"). `tiebreak` orders equally relevant tasks
 * (by title, so the list reads predictably).
 */
export function focusNeighbourhood(edges: readonly FocusEdge[], focus: string, hops: number, cap = FOCUS_CAP, pinned: readonly string[] = [], tiebreak: (a: string, b: string) => number = (a, b) => (a < b ? -1 : a > b ? 1 : 0)): Focus {
  const adj = new Map<string, Array<[string, number]>>()
  const link = (from: string, to: string, w: number) => {
    const list = adj.get(from)
    if (list) list.push([to, w])
    else adj.set(from, [[to, w]])
  }
  for (const e of edges) {
    const w = linkRelevance(e)
    link(e.source, e.target, w)
    link(e.target, e.source, w)
  }
  const keep = new Set([focus])
  let more: string[] = []
  let frontier = [focus]
  for (let i = 0; i < hops && frontier.length > 0; i++) {
    // The best link into each task of the next ring from a kept task.
    const best = new Map<string, number>()
    for (const n of frontier) {
      for (const [m, w] of adj.get(n) ?? []) if (!keep.has(m) && (best.get(m) ?? -1) < w) best.set(m, w)
    }
    const ring = [...best.keys()].sort((a, b) => best.get(b)! - best.get(a)! || tiebreak(a, b))
    const room = Math.max(0, cap - (keep.size - 1))
    for (const m of ring.slice(0, room)) keep.add(m)
    if (ring.length > room) {
      more = ring.slice(room)
      break
    }
    frontier = ring
  }
  const cut = new Set(more)
  const back = new Set(pinned.filter((p) => cut.has(p)))
  for (const p of back) keep.add(p)
  return { keep, more: back.size ? more.filter((m) => !back.has(m)) : more }
}
