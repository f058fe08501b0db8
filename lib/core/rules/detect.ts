/**
 * Pairwise detection: the reference semantics. The index (dependency-index.ts) only decides
 * which pairs to look at and then calls `detectFeatures`, so both always agree on a pair.
 */
import { artifactMatches, artifactReason, sharedArtifacts } from './artifacts'
import { compileRules, type CompiledRule } from './compile'
import { taskFeatures, type TaskFeatures } from './features'
import { evaluateRule, sharedOnce, type HotEntity } from './match'
import type { CustomRule, Dependency, Task } from './types'
export { normalizeRepository, sameRepository } from './repository'

/**
 * Detection on precomputed features; `rules` from `compileRules`. Declared artifacts are exact
 * evidence: where they give a relationship, it replaces what the words give for it. With `hot`
 * (the room's hot entities, room.ts), a built-in rule needs a shared entity that is not hot.
 */
export function detectFeatures(a: TaskFeatures, b: TaskFeatures, rules: readonly CompiledRule[], hot?: HotEntity): Dependency[] {
  if (a.taskId === b.taskId || a.repositoryKey === b.repositoryKey) return []
  const [x, y] = a.taskId < b.taskId ? [a, b] : [b, a]
  const out: Dependency[] = []
  const exact = new Set<string>()
  if (x.artifacts.size > 0 && y.artifacts.size > 0) {
    for (const m of artifactMatches(sharedArtifacts(x.artifacts, y.artifacts))) {
      exact.add(m.relationship)
      out.push({ task1: x.taskId, task2: y.taskId, relationship: m.relationship, confidence: m.confidence, reason: artifactReason(m, x.taskId, y.taskId) })
    }
  }
  const shared = sharedOnce(x, y, hot)
  for (const rule of rules) {
    if (exact.has(rule.name)) continue
    const m = evaluateRule(rule, x, y, shared)
    if (m) out.push({ task1: x.taskId, task2: y.taskId, relationship: m.relationship, confidence: m.confidence, reason: m.reason })
  }
  return out.sort(byStrength)
}

/** Strongest first, then by relationship name: a total order, so output is deterministic. */
export const byStrength = (p: Dependency, q: Dependency): number =>
  q.confidence - p.confidence || (p.relationship < q.relationship ? -1 : p.relationship > q.relationship ? 1 : 0)

/**
 * The dependencies between two tasks under the built-in and the given custom rules, as if the
 * pair were alone in the room (pure and deterministic; used to verify a gossiped
 * `dependency.detected` by recomputation). In a room, `roomDependencies` (room.ts) is the
 * reference: the same, minus built-in links made only through hot entities.
 */
export function detectPair(a: Task, b: Task, customRules: readonly CustomRule[] = []): Dependency[] {
  return detectFeatures(taskFeatures(a), taskFeatures(b), compileRules(customRules))
}
