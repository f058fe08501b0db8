/** The fold order: (lamport, id). Causal predecessors always sort first (admission ensures it). */
import type { StoredEvent } from '../log/stored'

/** Negative if `a` folds before `b`. */
export const foldOrder = (a: StoredEvent, b: StoredEvent): number =>
  a.event.lamport - b.event.lamport || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Index at which `e` belongs in the sorted array `xs`. */
export function insertionIndex(xs: readonly StoredEvent[], e: StoredEvent): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (foldOrder(xs[mid], e) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}
