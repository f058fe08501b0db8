/** Related tasks: those within `hops` dependency edges of a session's tasks (DESIGN §2). */

/** Each task's neighbours in the dependency graph: what `RoomState.links` holds. */
export type TaskLinks = ReadonlyMap<string, readonly string[]>

/**
 * `links` with the dependency `a`–`b` added in both directions, as the changed entries to write
 * (a pair already linked, through another relationship, changes nothing). Entries are new arrays,
 * so a checkpoint sharing the old ones keeps them as they were.
 */
export function linkTasks(links: TaskLinks, a: string, b: string): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = []
  const add = (from: string, to: string) => {
    const old = links.get(from) ?? []
    if (!old.includes(to)) out.push([from, [...old, to]])
  }
  add(a, b)
  if (a !== b) add(b, a)
  return out
}

/**
 * Task ids within `hops` of `tasks` in the dependency graph, excluding `tasks`, sorted. Walks
 * only the neighbourhood, so opening a session costs what it reaches, not the room's size.
 */
export function relatedTasks(links: TaskLinks, tasks: readonly string[], hops: number): string[] {
  const seen = new Set(tasks)
  let frontier = [...tasks]
  for (let h = 0; h < hops && frontier.length > 0; h++) {
    const next: string[] = []
    for (const t of frontier) for (const n of links.get(t) ?? []) if (!seen.has(n)) (seen.add(n), next.push(n))
    frontier = next
  }
  return [...seen].filter((t) => !tasks.includes(t)).sort()
}
