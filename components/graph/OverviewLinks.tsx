'use client'
/**
 * The zoomed-out view's links between repositories (overview.ts), drawn in one SVG that moves
 * with the viewport, beneath the repository boxes. Decoration only: the pane's drags and clicks
 * go through it, and the wait list is what a screen reader reads of the dependencies.
 */
import { ViewportPortal } from '@xyflow/react'
import { memo } from 'react'
import { LABEL_PX, PAD, labelWidth } from './edges'
import type { OverviewLink } from './overview'

const STROKE = '#71717a'
const LABEL_H = Math.ceil(LABEL_PX * 1.25)

/** The links, then their labels over every line (the same box and text as a dependency's label). */
export const OverviewLinks = memo(function OverviewLinks({ links }: { links: readonly OverviewLink[] }) {
  return (
    <ViewportPortal>
      <svg className="pointer-events-none absolute left-0 top-0 overflow-visible" style={{ zIndex: -1 }} width={1} height={1} aria-hidden data-testid="graph-repo-links" data-count={links.length}>
        {links.map((l) => <path key={l.id} d={l.path} fill="none" stroke={STROKE} strokeWidth={l.width} />)}
        {links.map((l) => {
          const w = labelWidth(l.label)
          return (
            <g key={l.id} transform={`translate(${l.x - w / 2} ${l.y - LABEL_H / 2})`}>
              <rect width={w + 2 * PAD[0]} x={-PAD[0]} y={-PAD[1]} height={LABEL_H + 2 * PAD[1]} fill="#fff" rx={2} ry={2} />
              <text y={LABEL_H / 2} dy="0.3em" fontSize={LABEL_PX} fill="#27272a">{l.label}</text>
            </g>
          )
        })}
      </svg>
    </ViewportPortal>
  )
})
