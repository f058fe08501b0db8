import { describe, expect, it } from 'vitest'
import { filterGraph, neighbourhood, ruleColour, type Graph, type GraphEdge } from './graph-model'

const edge = (source: string, target: string, rule = 'API_Contract'): GraphEdge => ({ id: `${source}|${target}|${rule}`, source, target, rule, confidence: 0.8, reason: '', session: null, sessionStatus: null })
const node = (id: string, repository: string, status: 'claimed' | 'completed' = 'claimed') => ({ id, title: id, repository, status, claimedBy: 'p' })

// a - b - c - d (a chain across repositories) and e - f by another rule
const g: Graph = {
  nodes: [node('a', 'api'), node('b', 'web'), node('c', 'api'), node('d', 'db', 'completed'), node('e', 'web'), node('f', 'db')],
  edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('e', 'f', 'Database_Schema')],
}
const none = { repository: '', rule: '', status: '' as const, focus: null, hops: 3 }

describe('graph model', () => {
  it('finds the neighbourhood within N hops', () => {
    expect([...neighbourhood(g.edges, 'a', 1)].sort()).toEqual(['a', 'b'])
    expect([...neighbourhood(g.edges, 'a', 2)].sort()).toEqual(['a', 'b', 'c'])
    expect([...neighbourhood(g.edges, 'e', 5)].sort()).toEqual(['e', 'f'])
  })

  it('filters by repository, rule, status and focus, dropping edges to hidden tasks', () => {
    expect(filterGraph(g, { ...none, repository: 'api' })).toEqual({ nodes: [g.nodes[0], g.nodes[2]], edges: [] })
    expect(filterGraph(g, { ...none, rule: 'Database_Schema' }).nodes.map((n) => n.id)).toEqual(['e', 'f'])
    expect(filterGraph(g, { ...none, status: 'completed' }).nodes.map((n) => n.id)).toEqual(['d'])
    const near = filterGraph(g, { ...none, focus: 'd', hops: 1 })
    expect(near.nodes.map((n) => n.id)).toEqual(['c', 'd'])
    expect(near.edges.map((e) => e.id)).toEqual(['c|d|API_Contract'])
  })

  it('gives each rule a stable colour', () => {
    expect(ruleColour('API_Contract')).not.toBe(ruleColour('Database_Schema'))
    expect(ruleColour('Feature_Flag')).toBe(ruleColour('Feature_Flag'))
  })
})
