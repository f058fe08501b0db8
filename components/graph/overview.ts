/**
 * The zoomed-out view's links between repositories, as drawing instructions: one bezier from
 * the right side of the first repository's box to the left side of the second's (in name
 * order), its width growing with the number of dependencies it stands for, and that number as
 * its label. They are drawn together in one SVG (OverviewLinks.tsx) rather than as React Flow
 * edges: nothing about them is interactive, and an edge component per pair of repositories
 * (hundreds in a big room) is what the zoomed-out view's first render spends its time on.
 */
import { getBezierPath, Position } from '@xyflow/react'
import type { RepositoryLink } from './elk-graph'

/** A repository's box in flow coordinates. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** One link as drawn: its path, stroke width, label text and the label's centre. */
export interface OverviewLink {
  id: string
  path: string
  width: number
  label: string
  x: number
  y: number
}

/** The stroke width of a link standing for `count` dependencies. */
export const linkWidth = (count: number): number => Math.min(8, 1 + Math.log2(count))

/** The links between repositories that both have a box, in the order given. */
export function overviewLinks(links: readonly RepositoryLink[], boxes: ReadonlyMap<string, Box>): OverviewLink[] {
  const out: OverviewLink[] = []
  for (const l of links) {
    const [a, b] = [boxes.get(l.source), boxes.get(l.target)]
    if (!a || !b) continue
    const [path, x, y] = getBezierPath({
      sourceX: a.x + a.width, sourceY: a.y + a.height / 2, sourcePosition: Position.Right,
      targetX: b.x, targetY: b.y + b.height / 2, targetPosition: Position.Left,
    })
    out.push({ id: `${l.source}|${l.target}`, path, width: linkWidth(l.count), label: String(l.count), x, y })
  }
  return out
}
