/**
 * The dependency graph as data: tasks (nodes) grouped by repository, dependencies (edges)
 * pointing from the task that goes first to the one that waits for it — by the session's plan
 * when there is one, by the rule's producer/consumer reading of the two tasks otherwise — with
 * their rule and the state of the session they opened; filters and the capped neighbourhood of
 * a task within N hops (focus.ts). Pure, so it is tested without a browser.
 */
import { sequence } from '@/lib/core/planner/order'
import { FOCUS_CAP, focusNeighbourhood } from './focus'
import { keepEqual, sameData } from './keep'
import type { DependencyState, RoomState, SessionState, SessionStatus, TaskState } from '@/lib/core/state/types'

export interface GraphNode {
  id: string
  title: string
  repository: string
  status: TaskState['status']
  claimedBy: string
  /** Shown only because it depends on (or is depended on by) a task the filter kept. */
  neighbour?: boolean
}

export interface GraphEdge {
  id: string
  /** The task that goes first. */
  source: string
  /** The task that waits for it. */
  target: string
  /** Where the direction comes from: the session's plan, the rule, or neither (parallel work). */
  order: 'plan' | 'rule' | 'none'
  rule: string
  confidence: number
  reason: string
  /** Why the two tasks depend on each other and why one goes first, in words. */
  why: string
  session: string | null
  sessionStatus: SessionStatus | null
}

interface Oriented { first: string; then: string; ok: boolean; why: string }

/**
 * Direction and explanation per dependency, with what they were read from: the dependency and
 * its two tasks. A fold replay rebuilds the records it replays without changing what they say,
 * so a reading is reused while the same key holds the same data.
 */
const ORIENTED = new Map<string, { d: DependencyState['dependency']; a?: Task; b?: Task; o: Oriented }>()
/** Readings kept at most (a room's dependencies; past it the cache starts afresh). */
const ORIENTED_MAX = 20_000

type Task = TaskState['task']
const same = <T>(x: T, y: T) => x === y || sameData(x, y)

/** The shared terms named in a rule's reason ("shared: auth (auth ~ jwt)"), as words. */
const sharedOf = (reason: string): string | null => reason.match(/; shared: (.*)$/)?.[1] ?? null

function orientRule(s: RoomState, key: string, d: DependencyState): Oriented {
  const { task1, task2, relationship, confidence, reason } = d.dependency
  const [a, b] = [s.tasks.get(task1)?.task, s.tasks.get(task2)?.task]
  const known = ORIENTED.get(key)
  if (known && same(known.d, d.dependency) && same(known.a, a) && same(known.b, b)) return known.o
  let o: Oriented | undefined
  const shared = sharedOf(reason)
  const both = shared ? `Both are about ${shared}.` : ''
  if (a && b) {
    const seq = sequence([a, b], [{ a: task1, b: task2, relationship, confidence }])
    const link = seq.links[0]
    if (link) {
      const step = seq.steps.find((st) => st.taskId === link.to)
      const because = step?.reason.replace(/^After [^.]*\. /, '').replace(/^[A-Za-z_]+: /, '') ?? ''
      o = { first: link.from, then: link.to, ok: true, why: [both, because ? `${because.charAt(0).toUpperCase()}${because.slice(1)}.` : ''].filter(Boolean).join(' ') }
    }
  }
  o ??= { first: task1, then: task2, ok: false, why: [both, 'Neither reads as the producer, so both can proceed against an agreed interface.'].filter(Boolean).join(' ') }
  if (ORIENTED.size >= ORIENTED_MAX) ORIENTED.clear()
  ORIENTED.set(key, { d: d.dependency, a, b, o })
  return o
}

/** Which of the two tasks the session's latest plan puts first, if it orders them. */
function planOrder(x: SessionState | undefined, t1: string, t2: string): [string, string] | null {
  const plan = x?.plans[x.plans.length - 1]?.plan
  if (!plan) return null
  const [o1, o2] = [plan.sequence.find((st) => st.taskId === t1)?.order, plan.sequence.find((st) => st.taskId === t2)?.order]
  if (o1 == null || o2 == null || o1 === o2) return null
  return o1 < o2 ? [t1, t2] : [t2, t1]
}

/**
 * Filters; empty string = any. `focus` limits to tasks within `hops` of it, the most relevant
 * FOCUS_CAP of them plus `pinned` (brought back from the "+K more" list).
 */
export interface GraphFilter {
  repository: string
  rule: string
  status: TaskState['status'] | ''
  focus: string | null
  hops: number
  pinned?: readonly string[]
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** In focus mode: the neighbours the cap left out, most relevant first. */
  more?: string[]
}

/** Every task and dependency in the room, with each edge's session (if one was opened). */
export function fullGraph(s: RoomState): Graph {
  const nodes = [...s.tasks.values()].map((t) => ({ id: t.task.taskId, title: t.task.title, repository: t.task.repository, status: t.status, claimedBy: t.claimedBy }))
  // A dependency session's tasks are sorted and its rule is the relationship: the same
  // `task1|task2|relationship` key the state files dependencies under (no hashing per edge).
  const sessionOf = new Map<string, SessionState>()
  for (const x of s.sessions.values()) if (x.type === 'dependency') sessionOf.set(`${x.tasks.join('|')}|${x.rule}`, x)
  const edges: GraphEdge[] = []
  for (const [key, d] of s.dependencies) {
    const { task1, task2, relationship, confidence, reason } = d.dependency
    const session = sessionOf.get(`${task1}|${task2}|${relationship}`)
    const planned = planOrder(session, task1, task2)
    const [source, target] = planned ?? [task1, task2]
    edges.push({ id: key, source, target, order: planned ? 'plan' : 'none', rule: relationship, confidence, reason, why: '', session: session?.id ?? null, sessionStatus: session?.status ?? null })
  }
  return { nodes, edges }
}

/** `next`, or `prev` when the two are equal as data; equal nodes and edges are `prev`'s objects (keep.ts). */
export function keepGraph(prev: Graph | undefined, next: Graph | undefined): Graph | undefined {
  if (prev == null || next == null) return next
  const nodes = keepEqual(prev.nodes, next.nodes)
  const edges = keepEqual(prev.edges, next.edges)
  if (nodes === prev.nodes && edges === prev.edges && prev.more === undefined && next.more === undefined) return prev
  return { ...next, nodes: nodes as GraphNode[], edges: edges as GraphEdge[] }
}

/**
 * The edge with its direction and explanation filled in from the rule's reading of the two
 * tasks (the plan's order, when there is one, stays). Reading task text costs ~0.3 ms per edge,
 * so views orient only the edges they show; each dependency is read once while it and its tasks
 * say the same.
 */
export function orientEdge(s: RoomState, e: GraphEdge): GraphEdge {
  const d = s.dependencies.get(e.id)
  if (!d) return e
  const rule = orientRule(s, e.id, d)
  if (e.order === 'plan') return { ...e, why: e.source !== rule.first && rule.ok ? `${rule.why} The plan puts it the other way round.` : rule.why }
  return { ...e, source: rule.first, target: rule.then, order: rule.ok ? 'rule' : 'none', why: rule.why }
}

/**
 * The graph after filters: a rule filter keeps only tasks touching an edge of that rule; a
 * repository filter keeps that repository's tasks and their direct neighbours in other
 * repositories (flagged `neighbour`), because cross-repository edges are the ones that matter.
 */
export function filterGraph(g: Graph, f: GraphFilter): Graph {
  let nodes = g.nodes.filter((n) => (!f.repository || n.repository === f.repository) && (!f.status || n.status === f.status))
  let ids = new Set(nodes.map((n) => n.id))
  if (f.repository) {
    const byId = new Map(g.nodes.map((n) => [n.id, n]))
    for (const e of g.edges) {
      if (f.rule && e.rule !== f.rule) continue
      for (const [inside, other] of [[e.source, e.target], [e.target, e.source]]) {
        const n = byId.get(other)
        if (ids.has(inside) && !ids.has(other) && n && n.repository !== f.repository && (!f.status || n.status === f.status)) {
          nodes.push({ ...n, neighbour: true })
          ids.add(other)
        }
      }
    }
  }
  let edges = g.edges.filter((e) => (!f.rule || e.rule === f.rule) && ids.has(e.source) && ids.has(e.target))
  if (f.rule) {
    const touched = new Set(edges.flatMap((e) => [e.source, e.target]))
    nodes = nodes.filter((n) => touched.has(n.id))
    ids = touched
  }
  if (f.focus != null && ids.has(f.focus)) {
    const title = new Map(nodes.map((n) => [n.id, n.title]))
    const byTitle = (a: string, b: string) => (title.get(a) ?? a).localeCompare(title.get(b) ?? b) || (a < b ? -1 : 1)
    const { keep, more } = focusNeighbourhood(edges, f.focus, f.hops, FOCUS_CAP, f.pinned, byTitle)
    nodes = nodes.filter((n) => keep.has(n.id))
    edges = edges.filter((e) => keep.has(e.source) && keep.has(e.target))
    return { nodes, edges, more }
  }
  return { nodes, edges }
}

const PALETTE = ['#0284c7', '#7c3aed', '#059669', '#dc2626', '#d97706', '#db2777', '#4f46e5', '#0d9488']
const BUILTIN: Record<string, string> = { API_Contract: PALETTE[0], Database_Schema: PALETTE[1], Configuration_Dependency: PALETTE[2], Security_Compliance: PALETTE[3] }

/** A stable colour per rule: fixed for the built-ins, hashed for custom rules. */
export function ruleColour(rule: string): string {
  if (BUILTIN[rule]) return BUILTIN[rule]
  let h = 0
  for (const ch of rule) h = (h * 31 + ch.charCodeAt(0)) | 0
  return PALETTE[4 + (Math.abs(h) % 4)]
}
