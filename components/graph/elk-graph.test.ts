import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromElk, repositoryLinks, toElk } from './elk-graph'
import type { Graph, GraphEdge } from './graph-model'

const node = (id: string, repository: string) => ({ id, title: id, repository, status: 'claimed' as const, claimedBy: 'p' })
const edge = (source: string, target: string): GraphEdge => ({ id: `${source}|${target}`, source, target, rule: 'API_Contract', confidence: 0.8, reason: '', order: 'rule' as const, why: '', session: null, sessionStatus: null })

const g: Graph = {
  nodes: [node('a', 'api'), node('b', 'web'), node('c', 'api'), node('d', 'web'), node('e', 'db'), node('f', 'api')],
  // api–web twice (in both directions), api–db once, one dependency inside api
  edges: [edge('a', 'b'), edge('d', 'c'), edge('e', 'a'), edge('a', 'f')],
}

describe('graph layout input', () => {
  it('aggregates dependencies between repositories into one link per pair, with how many', () => {
    expect(repositoryLinks(g).sort((x, y) => x.count - y.count)).toEqual([
      { source: 'api', target: 'db', count: 1 },
      { source: 'api', target: 'web', count: 2 },
    ])
  })

  it('boxes each repository\'s tasks and links the repositories, and reads the positions back', () => {
    const elk = toElk(g)
    expect(elk.children?.map((c) => [c.id, c.children?.map((t) => t.id)])).toEqual([['repo:api', ['a', 'c', 'f']], ['repo:web', ['b', 'd']], ['repo:db', ['e']]])
    expect(elk.edges).toHaveLength(2)
    const laid = fromElk({ ...elk, children: elk.children?.map((c, i) => ({ ...c, x: i * 100, y: 0, children: c.children?.map((t, j) => ({ ...t, x: 5, y: j * 50 })) })) })
    expect(laid.groups.get('web')).toMatchObject({ x: 100, y: 0 })
    expect(laid.tasks.get('c')).toEqual({ x: 5, y: 50 })
  })

  // The view lays out again only when this input changes (use-layout.ts): what a busy room
  // changes most (statuses, claimants, sessions, labels) must leave it as it was.
  it('gives the same input for the same tasks, repositories and links, whatever their statuses, titles and sessions', () => {
    const statuses = ['claimed', 'completed', 'released'] as const
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...statuses), fc.string(), fc.constantFrom('active', 'resolved', null)), { minLength: g.nodes.length, maxLength: g.nodes.length }), (changes) => {
        const changed: Graph = {
          nodes: g.nodes.map((n, i) => ({ ...n, status: changes[i][0], title: changes[i][1], claimedBy: changes[i][1] })),
          edges: g.edges.map((e, i) => ({ ...e, why: changes[i][1], session: changes[i][2] && `s${i}`, sessionStatus: changes[i][2], confidence: 0.5 })),
        }
        expect(JSON.stringify(toElk(changed))).toBe(JSON.stringify(toElk(g)))
      }),
    )
  })

  it('gives a new input for a new task, a task in another repository or a new link between repositories', () => {
    const before = JSON.stringify(toElk(g))
    expect(JSON.stringify(toElk({ ...g, nodes: [...g.nodes, node('z', 'api')] }))).not.toBe(before)
    expect(JSON.stringify(toElk({ ...g, nodes: g.nodes.map((n) => (n.id === 'f' ? { ...n, repository: 'db' } : n)) }))).not.toBe(before)
    expect(JSON.stringify(toElk({ ...g, edges: [...g.edges, edge('e', 'b')] }))).not.toBe(before)
  })
})

