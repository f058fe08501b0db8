/**
 * The template planner (DESIGN §2): deterministic, always available, and the fallback for the
 * LLM planner. Same input (in any order) → same plan.
 */
import { ARTIFACT_RELATIONSHIP, declaredArtifacts, sharedArtifacts } from '../rules/artifacts'
import { detectPair } from '../rules/detect'
import { sharedEntities, taskFeatures } from '../rules/features'
import { spell } from '../rules/text'
import type { Task } from '../rules/types'
import { conflictPlan } from './conflict'
import { leasePlan } from './lease'
import { fill, relationshipContent } from './content'
import { PlannerInputError } from './errors'
import { sequence, type Link, type PlanEdge } from './order'
import { planSchema, type Plan } from './plan'
import { clip, joinAnd, list } from './text'

/** What the template planner plans from. */
export interface TemplatePlanInput {
  readonly sessionType: 'dependency' | 'conflict' | 'planning'
  /** The dependency's relationship (dependency sessions). */
  readonly relationship?: string
  /** The session's tasks; for a conflict, one entry per claim (same taskId, different agentId). */
  readonly tasks: readonly Task[]
  /** Context: tasks within `coordinationHops` of the session's tasks. */
  readonly related?: readonly Task[]
}

const MAX_RELATED_MENTIONED = 10
const DEFAULT_EDGE_CONFIDENCE = 0.5

const byTaskId = (a: Task, b: Task) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0)

/** One task per id (the first in id order wins), sorted by id, so input order never matters. */
const uniqueTasks = (tasks: readonly Task[]): Task[] => {
  const seen = new Map<string, Task>()
  for (const t of [...tasks].sort(byTaskId)) if (!seen.has(t.taskId)) seen.set(t.taskId, t)
  return [...seen.values()]
}

/** The dependencies the plan orders: all pairs under the session's relationship, or the detected ones. */
function planEdges(tasks: readonly Task[], relationship: string | undefined): PlanEdge[] {
  const edges: PlanEdge[] = []
  for (let i = 0; i < tasks.length; i++) {
    for (let j = i + 1; j < tasks.length; j++) {
      const deps = detectPair(tasks[i], tasks[j])
      const [a, b] = [tasks[i].taskId, tasks[j].taskId]
      if (relationship) {
        const hit = deps.find((d) => d.relationship === relationship)
        edges.push({ a, b, relationship, confidence: hit?.confidence ?? DEFAULT_EDGE_CONFIDENCE })
      } else if (deps.length) {
        edges.push({ a, b, relationship: deps[0].relationship, confidence: deps[0].confidence })
      }
    }
  }
  return edges
}

const label = (t: Task) => `${t.taskId} ("${t.title}")`

/** What two or more tasks are about, in words: their shared entities, else the producer's title. */
function topicOf(producer: Task, consumers: readonly Task[]): string {
  const fp = taskFeatures(producer)
  const stems = new Set<string>()
  const concepts = new Set<string>()
  for (const c of consumers) {
    const shared = sharedEntities(fp, taskFeatures(c))
    for (const s of shared.stems) stems.add(s)
    for (const k of shared.concepts) concepts.add(k.slice(1))
  }
  // In the producer's word order, so "user preferences" reads as written.
  const words = [...fp.text.terms].filter((t) => stems.has(t)).map((t) => spell(fp.text, t))
  words.push(...[...concepts].sort())
  return words.length ? words.slice(0, 4).join(' ') : producer.title
}

/** Groups oriented links (and unoriented pairs, producer = lower id) by producer and relationship. */
function handovers(links: readonly Link[], parallel: readonly PlanEdge[]) {
  const groups = new Map<string, { from: string; relationship: string; to: Set<string> }>()
  const add = (from: string, to: string, relationship: string) => {
    const k = `${from}\u0000${relationship}`
    if (!groups.has(k)) groups.set(k, { from, relationship, to: new Set() })
    groups.get(k)!.to.add(to)
  }
  for (const l of links) add(l.from, l.to, l.relationship)
  for (const e of parallel) add(e.a, e.b, e.relationship)
  return [...groups.values()].sort((p, q) => `${p.from} ${p.relationship}`.localeCompare(`${q.from} ${q.relationship}`))
}

/** The artifacts the producer declares as defined and the consumers as consumed, under one relationship. */
function declaredHandovers(producer: Task, consumers: readonly Task[], relationship: string) {
  const mine = declaredArtifacts(producer.artifacts)
  const byId = new Map<string, string[]>()
  for (const c of consumers) {
    for (const s of sharedArtifacts(mine, declaredArtifacts(c.artifacts))) {
      if (s.producer !== 'x' || ARTIFACT_RELATIONSHIP[s.kind] !== relationship) continue
      byId.set(s.id, [...(byId.get(s.id) ?? []), c.taskId])
    }
  }
  return [...byId].map(([id, to]) => ({
    name: clip(id, 200),
    description: clip(`Declared: ${producer.taskId} defines ${id}; ${joinAnd(to)} consume${to.length === 1 ? 's' : ''} it. ${producer.taskId} publishes it before the consumers build on it.`),
    producer: producer.taskId,
    consumers: to,
  }))
}

/** A deterministic, structured plan for a session from its tasks' text. */
export function templatePlan(input: TemplatePlanInput): Plan {
  if (input.tasks.length === 0) throw new PlannerInputError('no-tasks', 'a plan needs at least one task')
  if (input.sessionType === 'conflict') {
    return new Set(input.tasks.map((t) => t.taskId)).size > 1 ? leasePlan(input.tasks) : conflictPlan(input.tasks, input.related ?? [])
  }
  const tasks = uniqueTasks(input.tasks)
  const byId = new Map(tasks.map((t) => [t.taskId, t]))
  const relationship = input.sessionType === 'dependency' ? input.relationship : undefined
  const { steps, links, parallel } = sequence(tasks, planEdges(tasks, relationship))
  const groups = handovers(links, parallel)

  const artifacts = groups.flatMap((g) => {
    const producer = byId.get(g.from)!
    const consumers = [...g.to].sort().map((id) => byId.get(id)!)
    const declared = declaredHandovers(producer, consumers, g.relationship)
    if (declared.length > 0) return declared
    const vars = { p: producer.taskId, c: joinAnd(consumers.map((c) => c.taskId)), topic: topicOf(producer, consumers) }
    const content = relationshipContent(g.relationship)
    return [{
      name: clip(fill(content.artifact.name, vars), 200),
      description: clip(fill(content.artifact.description, vars)),
      producer: producer.taskId,
      consumers: consumers.map((c) => c.taskId),
    }]
  })
  const perGroup = (pick: (c: ReturnType<typeof relationshipContent>) => readonly string[]) =>
    groups.flatMap((g) => {
      const vars = { p: g.from, c: joinAnd([...g.to].sort()), topic: '' }
      return pick(relationshipContent(g.relationship)).map((s) => fill(s, vars))
    })

  const repositories = [...new Set(tasks.map((t) => t.repository))].sort()
  const related = uniqueTasks(input.related ?? []).filter((t) => !byId.has(t.taskId))
  const relatedPoint = related.length
    ? `Keep the owners of related tasks informed: ${related.slice(0, MAX_RELATED_MENTIONED).map((t) => `${label(t)} in ${t.repository}`).join('; ')}${related.length > MAX_RELATED_MENTIONED ? ` and ${related.length - MAX_RELATED_MENTIONED} more` : ''}.`
    : ''

  const producers = new Set(links.map((l) => l.from))
  const first = steps.filter((s) => s.order === 1 && producers.has(s.taskId)).map((s) => s.taskId)
  const kind = input.sessionType === 'dependency' ? `${relationship ?? 'Dependency'} session` : 'Planning session'
  const ordering =
    first.length > 0
      ? `${joinAnd(first)} ${first.length === 1 ? 'goes' : 'go'} first; the others follow the sequence.`
      : tasks.length === 1
        ? 'A single task: no ordering to settle.'
        : 'The text gives no ordering: the tasks proceed in parallel against agreed interfaces.'
  const summary = `${kind} for ${joinAnd(tasks.map(label))} across ${joinAnd(repositories)}. ${ordering} Settle the shared artifacts before implementation diverges.`

  return planSchema.parse({
    summary: clip(summary),
    sequence: steps.slice(0, 50).map((s) => ({ ...s, reason: clip(s.reason) })),
    artifacts: artifacts.slice(0, 50),
    coordinationPoints: list([...perGroup((c) => c.coordination), relatedPoint]),
    risks: list(perGroup((c) => c.risks)),
    successCriteria: list([...perGroup((c) => c.success), `All of ${joinAnd(tasks.map((t) => t.taskId))} are completed and their owners agree the plan was followed.`]),
    planner: { kind: 'template' },
  })
}
