/** Related tasks: those within `hops` dependency edges of a session's tasks (DESIGN §2). */
import type { DependencyState } from '../state/types'

/** Task ids within `hops` of `tasks` in the dependency graph, excluding `tasks`, sorted. */
export function relatedTasks(dependencies: Iterable<DependencyState>, tasks: readonly string[], hops: number): string[] {
  const adjacent = new Map<string, Set<string>>()
  const link = (a: string, b: string) => {
    let s = adjacent.get(a)
    if (!s) adjacent.set(a, (s = new Set()))
    s.add(b)
  }
  for (const { dependency: d } of dependencies) {
    link(d.task1, d.task2)
    link(d.task2, d.task1)
  }
  const seen = new Set(tasks)
  let frontier = [...tasks]
  for (let h = 0; h < hops && frontier.length > 0; h++) {
    const next: string[] = []
    for (const t of frontier) for (const n of adjacent.get(t) ?? []) if (!seen.has(n)) (seen.add(n), next.push(n))
    frontier = next
  }
  return [...seen].filter((t) => !tasks.includes(t)).sort()
}
