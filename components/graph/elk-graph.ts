/**
 * The ELK input for the dependency graph and reading positions back. Repositories are
 * compound nodes whose tasks are packed in boxes (ELK's `box`, the cheapest packing: ~2.5 s for 2,000 tasks in ELK's JS build vs ~6 s for rectpacking);
 * the repositories themselves are laid out by `layered` along the aggregated cross-repository
 * dependencies, so related repositories sit next to each other.
 */
import type { ElkNode } from 'elkjs/lib/elk-api'
import type { Graph } from './graph-model'

export const NODE_W = 190
export const NODE_H = 44

/** Positions: repository groups (absolute) and tasks (relative to their group). */
export interface Layout {
  groups: Map<string, { x: number; y: number; width: number; height: number }>
  tasks: Map<string, { x: number; y: number }>
}

const groupId = (repo: string) => `repo:${repo}`

/** Dependencies between two repositories, aggregated (unordered, `source` < `target`). */
export interface RepositoryLink {
  source: string
  target: string
  count: number
}

/** The cross-repository dependencies of `g`, one link per pair of repositories. */
export function repositoryLinks(g: Graph): RepositoryLink[] {
  const repoOf = new Map(g.nodes.map((n) => [n.id, n.repository]))
  const pairs = new Map<string, RepositoryLink>()
  for (const e of g.edges) {
    const [a, b] = [repoOf.get(e.source), repoOf.get(e.target)]
    if (a == null || b == null || a === b) continue
    const [source, target] = a < b ? [a, b] : [b, a]
    const key = `${source}\u0000${target}`
    const link = pairs.get(key)
    if (link) link.count++
    else pairs.set(key, { source, target, count: 1 })
  }
  return [...pairs.values()]
}

/** Repository pairs in the direction of their dependencies (first → waiting), so the layout puts what goes first on the left. */
function directedLinks(g: Graph): Array<[string, string]> {
  const repoOf = new Map(g.nodes.map((n) => [n.id, n.repository]))
  const pairs = new Map<string, [string, string]>()
  for (const e of g.edges) {
    const [a, b] = [repoOf.get(e.source), repoOf.get(e.target)]
    if (a == null || b == null || a === b) continue
    if (!pairs.has(`${b}\u0000${a}`)) pairs.set(`${a}\u0000${b}`, [a, b])
  }
  return [...pairs.values()]
}

/** Builds the ELK graph for `g`. */
export function toElk(g: Graph): ElkNode {
  const byRepo = new Map<string, string[]>()
  for (const n of g.nodes) {
    const ids = byRepo.get(n.repository)
    if (ids) ids.push(n.id)
    else byRepo.set(n.repository, [n.id])
  }
  return {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '40', 'elk.layered.spacing.nodeNodeBetweenLayers': '80' },
    children: [...byRepo].map(([repo, ids]) => ({
      id: groupId(repo),
      layoutOptions: { 'elk.algorithm': 'box', 'elk.padding': '[top=32,left=12,bottom=12,right=12]', 'elk.spacing.nodeNode': '12', 'elk.aspectRatio': '1.6' },
      children: ids.map((id) => ({ id, width: NODE_W, height: NODE_H })),
    })),
    edges: directedLinks(g).map(([a, b], i) => ({ id: `agg${i}`, sources: [groupId(a)], targets: [groupId(b)] })),
  }
}

/** Reads positions out of a laid-out ELK graph. */
export function fromElk(root: ElkNode): Layout {
  const groups: Layout['groups'] = new Map()
  const tasks: Layout['tasks'] = new Map()
  for (const grp of root.children ?? []) {
    groups.set(grp.id.slice('repo:'.length), { x: grp.x ?? 0, y: grp.y ?? 0, width: grp.width ?? NODE_W, height: grp.height ?? NODE_H })
    for (const t of grp.children ?? []) tasks.set(t.id, { x: t.x ?? 0, y: t.y ?? 0 })
  }
  return { groups, tasks }
}
