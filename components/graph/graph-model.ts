/**
 * The dependency graph as data: tasks (nodes) grouped by repository, dependencies (edges)
 * with their rule and the state of the session they opened; filters and the neighbourhood of
 * a task within N hops. Pure, so it is tested without a browser.
 */
import type { RoomState, SessionState, SessionStatus, TaskState } from '@/lib/core/state/types'

export interface GraphNode {
  id: string
  title: string
  repository: string
  status: TaskState['status']
  claimedBy: string
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  rule: string
  confidence: number
  reason: string
  session: string | null
  sessionStatus: SessionStatus | null
}

/** Filters; empty string = any. `focus` limits to tasks within `hops` of it. */
export interface GraphFilter {
  repository: string
  rule: string
  status: TaskState['status'] | ''
  focus: string | null
  hops: number
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
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
    edges.push({ id: key, source: task1, target: task2, rule: relationship, confidence, reason, session: session?.id ?? null, sessionStatus: session?.status ?? null })
  }
  return { nodes, edges }
}

/** Node ids within `hops` undirected steps of `focus` (including it). */
export function neighbourhood(edges: readonly GraphEdge[], focus: string, hops: number): Set<string> {
  const adj = new Map<string, string[]>()
  for (const e of edges) {
    adj.set(e.source, [...(adj.get(e.source) ?? []), e.target])
    adj.set(e.target, [...(adj.get(e.target) ?? []), e.source])
  }
  const seen = new Set([focus])
  let frontier = [focus]
  for (let i = 0; i < hops && frontier.length > 0; i++) {
    const next: string[] = []
    for (const n of frontier) for (const m of adj.get(n) ?? []) if (!seen.has(m)) (seen.add(m), next.push(m))
    frontier = next
  }
  return seen
}

/** The graph after filters: a rule filter keeps only tasks touching an edge of that rule. */
export function filterGraph(g: Graph, f: GraphFilter): Graph {
  let nodes = g.nodes.filter((n) => (!f.repository || n.repository === f.repository) && (!f.status || n.status === f.status))
  let ids = new Set(nodes.map((n) => n.id))
  let edges = g.edges.filter((e) => (!f.rule || e.rule === f.rule) && ids.has(e.source) && ids.has(e.target))
  if (f.rule) {
    const touched = new Set(edges.flatMap((e) => [e.source, e.target]))
    nodes = nodes.filter((n) => touched.has(n.id))
    ids = touched
  }
  if (f.focus != null && ids.has(f.focus)) {
    const near = neighbourhood(edges, f.focus, f.hops)
    nodes = nodes.filter((n) => near.has(n.id))
    edges = edges.filter((e) => near.has(e.source) && near.has(e.target))
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
