import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EdgeLooks, flowEdges } from './flow-edges'
import type { GraphEdge } from './graph-model'
import { keepEqual } from './keep'

const edge = (i: number, sessionStatus: GraphEdge['sessionStatus']): GraphEdge => ({
  id: `d${i}`, source: `t${i}`, target: `t${i + 1}`, order: 'rule', rule: i % 2 ? 'Producer_Consumer' : 'Shared_Resource', confidence: 0.9, reason: '', why: 'because',
  session: sessionStatus == null ? null : `s${i}`, sessionStatus,
})
const status = fc.constantFrom<GraphEdge['sessionStatus']>(null, 'active', 'escalated', 'resolved', 'closed')
const title = (id: string) => `Task ${id}`

/** React Flow's edge array and the looks after `next`, given those after `prev`. */
function step(prev: { edges: readonly GraphEdge[]; selected: string | null }, next: { edges: readonly GraphEdge[]; selected: string | null }) {
  const looks = new EdgeLooks()
  const before = flowEdges(prev.edges, title, prev.selected)
  looks.set(before.looks)
  const told = new Set<string>()
  for (const e of prev.edges) looks.subscribe(e.id, () => told.add(e.id))
  const after = flowEdges(next.edges, title, next.selected)
  const kept = keepEqual(before.edges, after.edges)
  looks.set(after.looks)
  return { before, after, kept, told, looks }
}

describe('flowEdges and EdgeLooks', () => {
  it("a session's change or a selection leaves React Flow's edge array as it was and re-renders only the edges it restyles", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(status, status), { minLength: 1, maxLength: 30 }), fc.option(fc.nat(29), { nil: null }), fc.option(fc.nat(29), { nil: null }), (pairs, sel1, sel2) => {
        const prev = { edges: pairs.map(([a], i) => edge(i, a)), selected: sel1 == null ? null : `d${sel1}` }
        const next = { edges: pairs.map(([a, b], i) => (a == null ? edge(i, a) : edge(i, b ?? 'active'))), selected: sel2 == null ? null : `d${sel2}` }
        const { before, kept, told, looks } = step(prev, next)
        expect(kept).toBe(before.edges)
        const restyled = next.edges.filter((e) => JSON.stringify(before.looks.get(e.id)) !== JSON.stringify(looks.get(e.id))).map((e) => e.id)
        expect([...told].sort()).toEqual(restyled.sort())
        for (const e of next.edges) {
          const look = looks.get(e.id)!
          expect(look.strokeWidth).toBe(e.sessionStatus === 'escalated' ? 3.5 : e.id === next.selected ? 3 : 1.75)
          expect(look.strokeDasharray).toBe(e.session ? undefined : '5 4')
        }
      }),
    )
  })

  it('an escalation restyles its own edge alone; a new dependency is a new edge array', () => {
    const edges = [edge(0, 'active'), edge(1, 'active'), edge(2, null)]
    const escalated = step({ edges, selected: null }, { edges: [edges[0], edge(1, 'escalated'), edges[2]], selected: null })
    expect(escalated.kept).toBe(escalated.before.edges)
    expect([...escalated.told]).toEqual(['d1'])
    expect(escalated.looks.get('d0')).toBe(escalated.before.looks.get('d0'))
    const grown = step({ edges, selected: null }, { edges: [...edges, edge(3, null)], selected: null })
    expect(grown.kept).not.toBe(grown.before.edges)
    expect(grown.kept.slice(0, 3)).toEqual(grown.before.edges)
    expect(grown.told.size).toBe(0)
  })
})
