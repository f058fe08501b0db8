'use client'
/**
 * The dependency edge: a bezier line whose look comes from an `EdgeLooks` store (flow-edges.ts),
 * so a session's change re-renders its own edge without handing React Flow a new edge array,
 * and a label sized from the text's advance measured once per text on a canvas — React Flow's
 * own label measures every label it mounts with `getBBox`, which forces a layout each time.
 */
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react'
import { createContext, memo, useCallback, useContext, useSyncExternalStore, type CSSProperties } from 'react'
import { EdgeLooks, type DepEdge } from './flow-edges'

/** The looks of the page's edges (GraphView provides them). */
export const LooksContext = createContext<EdgeLooks>(new EdgeLooks())

/** The labels' font size and padding (px), shared with the zoomed-out view's links. */
export const LABEL_PX = 11
export const PAD: [number, number] = [2, 4]
const widths = new Map<string, number>()
let ctx: CanvasRenderingContext2D | null | undefined

/** The width of `text` in the edge label's font, measured once per text. */
export function labelWidth(text: string): number {
  let w = widths.get(text)
  if (w !== undefined) return w
  if (ctx === undefined) {
    ctx = document.createElement('canvas').getContext('2d')
    if (ctx) ctx.font = `${LABEL_PX}px ${getComputedStyle(document.body).fontFamily}`
  }
  w = Math.ceil(ctx ? ctx.measureText(text).width : text.length * LABEL_PX * 0.6)
  widths.set(text, w)
  return w
}

/** A label centred on (x, y), sized without reading the DOM back. */
function Label({ x, y, text }: { x: number; y: number; text: string }) {
  const [w, h] = [labelWidth(text), Math.ceil(LABEL_PX * 1.25)]
  return (
    <g transform={`translate(${x - w / 2} ${y - h / 2})`} className="react-flow__edge-textwrapper">
      <rect width={w + 2 * PAD[0]} x={-PAD[0]} y={-PAD[1]} height={h + 2 * PAD[1]} className="react-flow__edge-textbg" style={{ fill: '#fff' }} rx={2} ry={2} />
      <text className="react-flow__edge-text" y={h / 2} dy="0.3em" style={{ fontSize: LABEL_PX, fill: '#27272a' }}>{text}</text>
    </g>
  )
}

/** Rendered again only when its props or its look change (React Flow's own edges are memoised too). */
const Dependency = memo(function Dependency({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, label, style, interactionWidth }: EdgeProps<DepEdge>) {
  const looks = useContext(LooksContext)
  const subscribe = useCallback((cb: () => void) => looks.subscribe(id, cb), [looks, id])
  const look = useSyncExternalStore(subscribe, () => looks.get(id), () => looks.get(id))
  const [path, x, y] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={(look ?? style) as CSSProperties | undefined} interactionWidth={interactionWidth} />
      {typeof label === 'string' && label !== '' && <Label x={x} y={y} text={label} />}
    </>
  )
})

/** The edge types, defined once (React Flow warns when this object changes). */
export const EDGE_TYPES = { dep: Dependency }
