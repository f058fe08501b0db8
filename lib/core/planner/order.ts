/**
 * Sequencing: orient each dependency from producer to consumer (roles.ts), then number the
 * tasks by longest path, so independent tasks share an order and may run in parallel.
 */
import { ARTIFACT_RELATIONSHIP, declaredArtifacts, sharedArtifacts } from '../rules/artifacts'
import type { Task } from '../rules/types'
import { roleScore, roleVocabulary } from './roles'

/** A dependency between two tasks of the plan, before orientation. */
export interface PlanEdge {
  readonly a: string
  readonly b: string
  readonly relationship: string
  readonly confidence: number
}

/** A step of the sequence with the reason it sits where it does. */
export interface Step {
  readonly taskId: string
  readonly order: number
  readonly reason: string
}

interface Oriented {
  readonly from: string
  readonly to: string
  readonly edge: PlanEdge
  readonly why: string
}

/**
 * Orients by declared artifacts of the edge's relationship: the task defining what the other
 * consumes goes first. null when they declare none or point both ways.
 */
function orientByArtifacts(edge: PlanEdge, ta: Task, tb: Task): Oriented | null {
  const shared = sharedArtifacts(declaredArtifacts(ta.artifacts), declaredArtifacts(tb.artifacts)).filter(
    (s) => s.producer !== null && ARTIFACT_RELATIONSHIP[s.kind] === edge.relationship,
  )
  const producers = new Set(shared.map((s) => s.producer))
  if (producers.size !== 1) return null
  const [from, to] = producers.has('x') ? [ta, tb] : [tb, ta]
  const why = `${edge.relationship}: ${from.taskId} defines ${shared.map((s) => s.id).join(', ')}, which ${to.taskId} consumes — producer first`
  return { from: from.taskId, to: to.taskId, edge, why }
}

/** Orients an edge producer → consumer; null when neither artifacts nor the text give an ordering signal. */
function orient(edge: PlanEdge, byId: ReadonlyMap<string, Task>): Oriented | null {
  const [ta, tb] = [byId.get(edge.a)!, byId.get(edge.b)!]
  const exact = orientByArtifacts(edge, ta, tb)
  if (exact) return exact
  const [sa, sb] = [roleScore(ta, edge.relationship), roleScore(tb, edge.relationship)]
  if (sa.score === sb.score) return null
  const [from, to, sf, st] = sa.score > sb.score ? [ta, tb, sa, sb] : [tb, ta, sb, sa]
  const principle = roleVocabulary(edge.relationship).principle
  const evidence = [
    sf.producerWords.length ? `"${from.title}" reads as the producer (${sf.producerWords.join(', ')})` : '',
    st.consumerWords.length ? `"${to.title}" as the consumer (${st.consumerWords.join(', ')})` : '',
  ].filter(Boolean)
  const why = `${edge.relationship}: ${principle} — ${evidence.join('; ') || 'by the opening verbs of the titles'}`
  return { from: from.taskId, to: to.taskId, edge, why }
}

const reaches = (adj: ReadonlyMap<string, Set<string>>, from: string, to: string): boolean => {
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length) {
    const n = stack.pop()!
    if (n === to) return true
    if (seen.has(n)) continue
    seen.add(n)
    stack.push(...(adj.get(n) ?? []))
  }
  return false
}

/** A dependency oriented producer → consumer. */
export interface Link {
  readonly from: string
  readonly to: string
  readonly relationship: string
}

/** The sequence plus the oriented links and the edges left unoriented (parallel work). */
export interface Sequenced {
  readonly steps: Step[]
  readonly links: Link[]
  readonly parallel: PlanEdge[]
}

/**
 * Orders `tasks` given the dependencies between them. Edges are taken strongest first and an
 * edge that would close a cycle is dropped, so the result is a DAG and deterministic.
 */
export function sequence(tasks: readonly Task[], edges: readonly PlanEdge[]): Sequenced {
  const byId = new Map(tasks.map((t) => [t.taskId, t]))
  const sorted = [...edges].sort(
    (p, q) => q.confidence - p.confidence || `${p.a} ${p.b} ${p.relationship}`.localeCompare(`${q.a} ${q.b} ${q.relationship}`),
  )
  const adj = new Map<string, Set<string>>()
  const incoming = new Map<string, Oriented[]>()
  const parallel = new Map<string, PlanEdge[]>()
  const links: Link[] = []
  const unoriented: PlanEdge[] = []
  for (const edge of sorted) {
    const o = orient(edge, byId)
    if (!o) {
      unoriented.push(edge)
      for (const id of [edge.a, edge.b]) parallel.set(id, [...(parallel.get(id) ?? []), edge])
      continue
    }
    if (reaches(adj, o.to, o.from)) continue
    if (!adj.has(o.from)) adj.set(o.from, new Set())
    adj.get(o.from)!.add(o.to)
    incoming.set(o.to, [...(incoming.get(o.to) ?? []), o])
    links.push({ from: o.from, to: o.to, relationship: edge.relationship })
  }
  const level = new Map<string, number>()
  const levelOf = (id: string): number => {
    const known = level.get(id)
    if (known !== undefined) return known
    const l = 1 + Math.max(0, ...(incoming.get(id) ?? []).map((o) => levelOf(o.from)))
    level.set(id, l)
    return l
  }
  const ids = [...byId.keys()].sort()
  const steps = ids
    .map((taskId) => {
      const inc = incoming.get(taskId) ?? []
      const out = [...(adj.get(taskId) ?? [])].sort()
      const par = parallel.get(taskId) ?? []
      const reason = inc.length
        ? `After ${inc.map((o) => o.from).join(', ')}. ${inc.map((o) => o.why).join(' ')}`
        : out.length
          ? `First: ${out.join(', ')} build${out.length === 1 ? 's' : ''} on it. ${(incoming.get(out[0]) ?? []).find((o) => o.from === taskId)?.why ?? ''}`.trim()
          : par.length
            ? `In parallel with ${par.map((e) => (e.a === taskId ? e.b : e.a)).join(', ')}: the text gives no ordering signal, so both proceed against an agreed interface.`
            : 'Independent of the other tasks in this plan.'
      return { taskId, order: Math.min(100, levelOf(taskId)), reason }
    })
    .sort((p, q) => p.order - q.order || (p.taskId < q.taskId ? -1 : 1))
  return { steps, links, parallel: unoriented }
}
