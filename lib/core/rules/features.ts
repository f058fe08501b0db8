/**
 * Per-task features the rules evaluate: the analysed text and the task's entities. Computed
 * once per task (the index caches them), so a pair check is a handful of set lookups.
 */
import { declaredArtifacts, type DeclaredArtifact } from './artifacts'
import { analyzeText, type TaskTerms } from './text'
import type { Task } from './types'
import { normalizeRepository } from './repository'
import { CONCEPT_OF, GENERIC } from './vocabulary'

/** A task reduced to what detection needs. */
export interface TaskFeatures {
  readonly taskId: string
  readonly repository: string
  /** `normalizeRepository(repository)`, precomputed for the same-repository check. */
  readonly repositoryKey: string
  readonly text: TaskTerms
  /**
   * Non-generic stems ("prefer", "invoic") and concept ids ("@auth") of the task's title and
   * keywords: two tasks that share one are about the same thing (docs/adr/0012).
   */
  readonly entities: ReadonlySet<string>
  /** The task's declared artifacts by normalised key (artifacts.ts). */
  readonly artifacts: ReadonlyMap<string, DeclaredArtifact>
  /** Per-rule results for this task, filled by match.ts (the index re-checks a task against many partners). */
  readonly memo: Map<object, unknown>
}

const isEntityStem = (term: string): boolean =>
  !term.includes(' ') && term.length >= 3 && !/^[0-9]+$/.test(term) && !GENERIC.has(term)

/** Computes a task's features. */
export function taskFeatures(task: Task): TaskFeatures {
  const text = analyzeText(task)
  const entities = new Set<string>()
  for (const term of text.headTerms) {
    if (isEntityStem(term)) entities.add(term)
    const concept = CONCEPT_OF.get(term)
    if (concept) entities.add(concept)
  }
  return {
    taskId: task.taskId,
    repository: task.repository,
    repositoryKey: normalizeRepository(task.repository),
    text,
    entities,
    artifacts: declaredArtifacts(task.artifacts),
    memo: new Map(),
  }
}

/** Entities both tasks have, in sorted order; a concept is dropped when a shared stem already names it. */
export function sharedEntities(a: TaskFeatures, b: TaskFeatures): { stems: string[]; concepts: string[] } {
  const [small, large] = a.entities.size <= b.entities.size ? [a, b] : [b, a]
  const stems: string[] = []
  const concepts: string[] = []
  for (const e of small.entities) {
    if (!large.entities.has(e)) continue
    if (e.startsWith('@')) concepts.push(e)
    else stems.push(e)
  }
  if (stems.length > 1) stems.sort()
  if (concepts.length === 0) return { stems, concepts }
  const namedByStem = new Set(stems.map((s) => CONCEPT_OF.get(s)))
  return { stems, concepts: concepts.filter((c) => !namedByStem.has(c)).sort() }
}
