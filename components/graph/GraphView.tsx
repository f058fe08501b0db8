'use client'
/** `/graph`: tasks grouped by repository, dependencies coloured by rule, live, laid out by ELK in a worker. */
import '@xyflow/react/dist/style.css'
import { Background, Controls, ReactFlow, type Edge, type Node, type ReactFlowInstance, type ReactFlowProps, type Viewport } from '@xyflow/react'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { BUILTIN_RELATIONSHIPS } from '@/lib/core/rules/types'
import { useRoom } from '@/components/mesh/use-room'
import { GraphDetails } from './GraphDetails'
import { filterGraph, fullGraph, keepGraph, orientEdge, type Graph, type GraphEdge, type GraphFilter } from './graph-model'
import { EdgeLooks, flowEdges, type EdgeLook } from './flow-edges'
import { EDGE_TYPES, LooksContext } from './edges'
import { keepEqual } from './keep'
import { GraphLegend } from './GraphLegend'
import { WaitList } from './WaitList'
import { NODE_TYPES, type RepoNodeType, type TaskNodeType } from './nodes'
import { cardsFor, contains, grow, viewRect, type Rect } from './culling'
import { NODE_H, NODE_W, repositoryLinks } from './elk-graph'
import { useMounted } from './use-mounted'
import { overviewLinks } from './overview'
import { OverviewLinks } from './OverviewLinks'
import { useLayout } from './use-layout'
import { GraphFilters } from './GraphFilters'
import { FindTask } from './FindTask'
import { FocusBar } from './FocusBar'

/**
 * Above this many tasks the graph has two levels of detail: zoomed out, the repositories with
 * their task counts and the dependencies between repositories; from DETAIL_ZOOM on (where a
 * card's text becomes readable), the task cards around the viewport (culling.ts). Cards are
 * mounted CHUNK per frame in every graph: mounting 2,000 cards (and a minimap of them) in one
 * go blocked the main thread for seconds, 100 still for ~200 ms on a loaded machine (docs/PERFORMANCE.md,
 * "UI long tasks").
 */
export const DETAIL_MIN_TASKS = 300
export const DETAIL_ZOOM = 0.6
const CHUNK = 40
const MARGIN = 0.15
const NO_CARDS: string[] = []
const NO_LOOKS: ReadonlyMap<string, EdgeLook> = new Map()
const CARD = { width: NODE_W, height: NODE_H }
/**
 * A fitted view keeps its cards clear of the zoom controls in the bottom-left corner (on a
 * phone the canvas is narrow enough for a card to land under them).
 */
const FIT = { padding: { top: '16px', right: '16px', bottom: '16px', left: '56px' } } as const

/** The dependency graph page. */
export function GraphView() {
  const state = useRoom((s) => s)
  // The same graph object while the room's changes leave the graph as it was (most events:
  // messages, answers, beats), so nothing below is rebuilt for them.
  const fresh = useRoom(fullGraph)
  const keptFull = useRef<Graph | undefined>(undefined)
  const full = useMemo(() => (keptFull.current = keepGraph(keptFull.current, fresh)), [fresh])
  const hopsDefault = useRoom((s) => s.config.coordinationHops) ?? 3
  const [filter, setFilter] = useState<GraphFilter>({ repository: '', rule: '', status: '', focus: null, hops: -1 })
  const [task, setTask] = useState<string | null>(null)
  const [edge, setEdge] = useState<string | null>(null)
  const f = useMemo(() => ({ ...filter, hops: filter.hops < 0 ? hopsDefault : filter.hops }), [filter, hopsDefault])
  // Small graphs are oriented whole (the layout then puts what goes first on the left); big ones
  // orient only the edges on screen (orientEdge reads task text).
  const graph = useMemo(() => {
    if (!full || !state) return undefined
    const g = filterGraph(full, f)
    return g.nodes.length <= DETAIL_MIN_TASKS ? { ...g, edges: g.edges.map((e) => orientEdge(state, e)) } : g
  }, [full, f, state])
  const { layout, running, error, mode } = useLayout(graph)
  const [flow, setFlow] = useState<ReactFlowInstance | null>(null)
  const big = (graph?.nodes.length ?? 0) > DETAIL_MIN_TASKS
  const [zoomedIn, setZoomedIn] = useState(false)
  const overview = big && !zoomedIn
  // The part of the flow whose cards are mounted (zoomed in on a big graph), in flow coordinates.
  const canvas = useRef<HTMLDivElement>(null)
  const [area, setArea] = useState<Rect | null>(null)
  const onMove = useCallback((_: unknown, vp: Viewport) => {
    setZoomedIn(vp.zoom >= DETAIL_ZOOM)
    const el = canvas.current
    if (vp.zoom < DETAIL_ZOOM || !el) return setArea(null)
    const view = viewRect(vp, { width: el.clientWidth, height: el.clientHeight })
    setArea((a) => (a && contains(a, view) ? a : grow(view, MARGIN)))
  }, [])
  // Refit after each new layout until the reviewer pans or zooms themselves; a new focus is a
  // new view, fitted again.
  const userMoved = useRef(false)
  useEffect(() => void (userMoved.current = false), [filter.focus, filter.pinned])
  useEffect(() => {
    if (!flow || !layout || userMoved.current) return
    // After React Flow has measured the new nodes.
    const t = setTimeout(() => void flow.fitView(FIT), 60)
    return () => clearTimeout(t)
  }, [flow, layout])
  // React Flow copies each handler into its store when it changes, which runs every node's and
  // edge's selectors: handlers made once keep a render of this page (one per shown change of the
  // room) from reaching the canvas, and `onTask` made once lets the wait list skip it too.
  const { onTask, ...handlers } = useMemo((): Pick<ReactFlowProps, 'onInit' | 'onMoveStart' | 'onNodeClick' | 'onSelectionChange' | 'onEdgeClick' | 'onPaneClick'> & { onTask(id: string): void } => ({
    onInit: (rf) => setFlow(rf as unknown as ReactFlowInstance),
    onMoveStart: (e) => void (e != null && (userMoved.current = true)),
    onNodeClick: (_, n) => void (n.type === 'task' && (setTask(n.id), setEdge(null))),
    onSelectionChange: ({ nodes: sel }) => void (sel[0]?.type === 'task' && (setTask(sel[0].id), setEdge(null))),
    onEdgeClick: (_, e) => (setEdge(e.id), setTask(null)),
    onPaneClick: () => (setTask(null), setEdge(null)),
    onTask: (id) => (setTask(id), setEdge(null)),
  }), [])
  const repos = useMemo(() => [...new Set(full?.nodes.map((n) => n.repository))].sort(), [full])
  const rules = useMemo(() => [...new Set([...BUILTIN_RELATIONSHIPS, ...(full?.edges.map((e) => e.rule) ?? [])])].sort(), [full])

  // The task cards and their edges, rebuilt when the graph or the layout changes …
  const detail = useMemo(() => {
    if (!graph || !layout) return null
    const counts = new Map<string, number>()
    for (const n of graph.nodes) counts.set(n.repository, (counts.get(n.repository) ?? 0) + 1)
    const groups: RepoNodeType[] = [...layout.groups].filter(([r]) => counts.has(r)).map(([repo, g]) => ({
      id: `repo:${repo}`, type: 'repo', position: { x: g.x, y: g.y }, style: { width: g.width, height: g.height }, data: { label: repo, count: counts.get(repo)! }, selectable: false, draggable: false,
    }))
    const tasks: TaskNodeType[] = graph.nodes.filter((n) => layout.tasks.has(n.id)).map((n) => ({
      id: n.id, type: 'task', parentId: `repo:${n.repository}`, extent: 'parent', position: layout.tasks.get(n.id)!, data: { title: n.title, status: n.status, selected: false, neighbour: n.neighbour === true },
      ariaLabel: `${n.title} (${n.repository}, ${n.status})`,
    }))
    const shown = new Set(tasks.map((t) => t.id))
    const at = new Map<string, { x: number; y: number }>()
    for (const n of graph.nodes) {
      const [g, p] = [layout.groups.get(n.repository), layout.tasks.get(n.id)]
      if (g && p) at.set(n.id, { x: g.x + p.x, y: g.y + p.y })
    }
    const boxes = new Map([...layout.groups].filter(([r]) => counts.has(r)))
    const links = overviewLinks(repositoryLinks(graph), boxes)
    const titles = new Map(graph.nodes.map((n) => [n.id, n.title]))
    return { groups, tasks, links, at, titles, edges: graph.edges.filter((e) => shown.has(e.source) && shown.has(e.target)) }
  }, [graph, layout])

  // … the cards to mount: all of a small graph; of a big one, none zoomed out and those around
  // the viewport zoomed in. Either way CHUNK per frame …
  const target = useMemo(() => {
    if (!detail) return NO_CARDS
    if (!big) return detail.tasks.map((t) => t.id)
    return !overview && area ? cardsFor(area, detail.at, CARD, detail.edges) : NO_CARDS
  }, [big, overview, area, detail])
  const mounted = useMounted(target, CHUNK)

  // … and what React Flow gets; the selection touches only its own card, and every node and
  // edge equal to the one it had before is that same object (keep.ts).
  const kept = useRef<{ nodes: readonly Node[]; edges: readonly Edge[] }>({ nodes: [], edges: [] })
  // Each edge's look, published once React Flow has the edges: only those whose look changed render.
  const [looks] = useState(() => new EdgeLooks())
  const { nodes, edges, lookOf } = useMemo(() => {
    if (!detail) return { ...(kept.current = { nodes: [] as Node[], edges: [] as Edge[] }), lookOf: NO_LOOKS }
    const here = (id: string) => mounted.has(id)
    const tasks = detail.tasks.filter((t) => here(t.id)).map((t) => (t.id === task ? { ...t, data: { ...t.data, selected: true } } : t))
    const titleOf = (id: string) => detail.titles.get(id) ?? id
    const oriented = detail.edges.filter((e) => here(e.source) && here(e.target)).map((e) => (state && e.order !== 'rule' && e.why === '' ? orientEdge(state, e) : e))
    const { edges: es, looks: lookOf } = flowEdges(oriented, titleOf, edge)
    const next = { nodes: keepEqual(kept.current.nodes, [...detail.groups, ...tasks] as Node[]), edges: keepEqual(kept.current.edges, es) }
    return { ...(kept.current = next), lookOf }
  }, [detail, overview, mounted, task, edge, state])
  useLayoutEffect(() => looks.set(lookOf), [looks, lookOf])

  return (
    <section className="space-y-3" aria-labelledby="graph-title">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 id="graph-title" className="text-xl font-semibold">Dependency graph</h1>
          <p className="text-sm text-muted">
            <span data-testid="graph-counts">{graph?.nodes.length ?? 0} tasks · {graph?.edges.length ?? 0} dependencies</span>
            {overview && layout && ' · zoomed out: repositories and the dependencies between them; zoom in for the tasks'}
            {running && ' · laying out …'}{error && ` · layout failed: ${error}`}
          </p>
        </div>
        <GraphFilters filter={f} repos={repos} rules={rules} onChange={(next) => setFilter(next)} />
        {full && full.nodes.length > 0 && <FindTask nodes={full.nodes} onFound={(id) => (setTask(id), setEdge(null))} />}
      </div>
      {state && graph && f.focus != null && graph.nodes.some((n) => n.id === f.focus) && (
        <FocusBar state={state} focus={f.focus} shown={graph.nodes.length - 1} more={graph.more ?? []}
          onShow={(id) => setFilter({ ...filter, pinned: [...(filter.pinned ?? []), id] })} onSelect={(id) => (setTask(id), setEdge(null))} />
      )}
      {full && full.nodes.length === 0 ? (
        <p className="rounded border border-dashed border-zinc-300 p-6 text-sm text-muted dark:border-zinc-700" data-testid="graph-empty">
          No tasks yet. Tasks appear when agents claim them: start agents with <code className="font-mono">chorus-mesh agent --invite …</code> or run{' '}
          <code className="font-mono">npm start -- --demo</code>.
        </p>
      ) : (
        <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_18rem]">
          <div className="h-[55vh] rounded md:h-[72vh] border border-zinc-200 dark:border-zinc-800" ref={canvas} data-testid="graph-canvas" data-layout={mode} data-detail={overview ? 'repositories' : 'tasks'} aria-label="Dependency graph canvas" role="region">
            <LooksContext.Provider value={looks}>
            <ReactFlow
              nodes={nodes as Node[]}
              edges={edges as Edge[]}
              nodeTypes={NODE_TYPES}
              edgeTypes={EDGE_TYPES}
              onlyRenderVisibleElements={big}
              nodesConnectable={false}
              fitView
              fitViewOptions={FIT}
              {...handlers}
              onMove={onMove}
              nodesDraggable={false}
              edgesFocusable={false}
              minZoom={0.05}
            >
              <Background />
              <Controls />
              {overview && detail && <OverviewLinks links={detail.links} />}
            </ReactFlow>
            </LooksContext.Provider>
          </div>
          {state && (
            <div className="space-y-4">
              <GraphDetails state={state} edges={full?.edges ?? []} task={task} edge={edge} focused={f.focus != null && f.focus === task}
                onFocus={(on) => setFilter({ ...filter, focus: on ? task : null, pinned: [], hops: on && filter.hops < 0 ? 1 : filter.hops })} onEdge={(id) => (setEdge(id), setTask(null))} />
              <GraphLegend rules={[...new Set(graph?.edges.map((e) => e.rule))]} />
            </div>
          )}
        </div>
      )}
      {state && graph && graph.edges.length > 0 && <WaitList state={state} edges={graph.edges as GraphEdge[]} onTask={onTask} />}
    </section>
  )
}
