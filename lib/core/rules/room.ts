/**
 * Detection in a room (docs/adr/0016). A dependency opens a coordination session between two
 * tasks; an entity that many of the room's tasks share ("order", "flag", `@auth` in a large
 * room) cannot mean a pairwise coordination with each of them, so it does not link a pair by
 * itself: a built-in rule needs a shared entity held by at most HOT_ENTITY_TASKS tasks.
 * Declared artifacts and custom rules are the author's explicit statement and are not limited.
 */
import { compileRules } from './compile'
import { detectFeatures } from './detect'
import { taskFeatures, type TaskFeatures } from './features'
import type { HotEntity } from './match'
import type { CustomRule, Dependency, Task } from './types'

/**
 * An entity held by more of the room's tasks than this is hot. Part of the protocol: every
 * peer must use the same number to derive the same dependencies from the same tasks.
 */
export const HOT_ENTITY_TASKS = 32

/** How many of the given tasks hold each entity. */
export function entityCounts(features: readonly TaskFeatures[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const f of features) for (const e of f.entities) counts.set(e, (counts.get(e) ?? 0) + 1)
  return counts
}

/** The hot-entity test for a room with these entity counts. */
export const hotIn = (counts: ReadonlyMap<string, number>, hotAbove = HOT_ENTITY_TASKS): HotEntity =>
  (e) => (counts.get(e) ?? 0) > hotAbove

/**
 * The reference semantics of detection in a room of `tasks` (ids unique): every pair, checked
 * with the pairwise rules under the room's hot entities. O(N²): for tests and benchmarks; the
 * DependencyIndex computes the same result incrementally.
 */
export function roomDependencies(tasks: readonly Task[], customRules: readonly CustomRule[] = [], hotAbove = HOT_ENTITY_TASKS): Dependency[] {
  const rules = compileRules(customRules)
  const features = tasks.map(taskFeatures)
  const hot = hotIn(entityCounts(features), hotAbove)
  const out: Dependency[] = []
  for (let i = 0; i < features.length; i++) {
    for (let j = i + 1; j < features.length; j++) for (const d of detectFeatures(features[i], features[j], rules, hot)) out.push(d)
  }
  return out
}
