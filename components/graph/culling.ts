/**
 * Which task cards a big graph mounts (see GraphView): those in the viewport, grown by a margin
 * so that small pans need no change, plus the other ends of their dependencies, so an edge
 * leaving the screen still shows. React Flow renders every node it has never measured, in
 * view or not, so culling has to happen before the nodes reach it. New cards are mounted a
 * chunk per frame: a zoom that reveals 200 cards costs several short tasks, not one long one.
 */

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** The part of the flow (in flow coordinates) that a viewport shows in a pane of `size`. */
export function viewRect(vp: { x: number; y: number; zoom: number }, size: { width: number; height: number }): Rect {
  return { x: -vp.x / vp.zoom, y: -vp.y / vp.zoom, width: size.width / vp.zoom, height: size.height / vp.zoom }
}

/** `r` grown by `by` of its size on every side. */
export const grow = (r: Rect, by: number): Rect => ({ x: r.x - r.width * by, y: r.y - r.height * by, width: r.width * (1 + 2 * by), height: r.height * (1 + 2 * by) })

/** True when `inner` lies within `outer`. */
export const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height

const overlaps = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/**
 * Ids of the cards to mount for `area`, those in it first, then their dependencies' other ends.
 * `at` gives each card's absolute position; all cards are `size`.
 */
export function cardsFor(area: Rect, at: ReadonlyMap<string, { x: number; y: number }>, size: { width: number; height: number }, edges: ReadonlyArray<{ source: string; target: string }>): string[] {
  const inside = new Set<string>()
  for (const [id, p] of at) if (overlaps(area, { ...p, ...size })) inside.add(id)
  const ends = new Set<string>()
  for (const e of edges) {
    if (inside.has(e.source) && !inside.has(e.target)) ends.add(e.target)
    else if (inside.has(e.target) && !inside.has(e.source)) ends.add(e.source)
  }
  return [...inside, ...ends]
}

/**
 * One step from `mounted` towards `target`: cards no longer wanted go at once, at most `chunk`
 * new ones come (in `target` order). The same set when there is nothing to do.
 */
export function nextMounted(mounted: ReadonlySet<string>, target: readonly string[], chunk: number): ReadonlySet<string> {
  const wanted = new Set(target)
  let drop = false
  for (const id of mounted) if (!wanted.has(id)) drop = true
  const add: string[] = []
  for (const id of target) {
    if (add.length >= chunk) break
    if (!mounted.has(id)) add.push(id)
  }
  if (!drop && add.length === 0) return mounted
  const next = new Set<string>()
  for (const id of mounted) if (wanted.has(id)) next.add(id)
  for (const id of add) next.add(id)
  return next
}
