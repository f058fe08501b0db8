import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SessionStatus } from '@/lib/core/state/types'
import { FOCUS_CAP, focusNeighbourhood, type FocusEdge } from './focus'
import { filterGraph, type Graph, type GraphEdge } from './graph-model'

const link = (source: string, target: string, sessionStatus: SessionStatus | null = null, confidence = 0.5): FocusEdge => ({ source, target, confidence, order: 'rule', sessionStatus })

/** Every task within `hops` of `focus`, uncapped. */
function within(edges: readonly FocusEdge[], focus: string, hops: number): Set<string> {
  const seen = new Set([focus])
  let frontier = [focus]
  for (let i = 0; i < hops; i++) {
    const next: string[] = []
    for (const e of edges) {
      for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) if (frontier.includes(a) && !seen.has(b)) (seen.add(b), next.push(b))
    }
    frontier = next
  }
  return seen
}

describe('capped focus neighbourhood', () => {
  it('keeps a hub readable: the open sessions first, the rest listed as more', () => {
    const spokes = Array.from({ length: 500 }, (_, i) => `t${String(i).padStart(3, '0')}`)
    const edges = spokes.map((t, i) => link('hub', t, i === 400 ? 'escalated' : i === 300 ? 'active' : null, i === 7 ? 0.99 : 0.5))
    const { keep, more } = focusNeighbourhood(edges, 'hub', 1)
    expect(keep.size).toBe(FOCUS_CAP + 1)
    expect(more).toHaveLength(500 - FOCUS_CAP)
    // The escalated session's task, then the active one, then the most confident link.
    expect([...keep].slice(1, 4)).toEqual(['t400', 't300', 't007'])
    expect(more[0]).toBe(spokes.find((t) => !keep.has(t)))
    // A task brought back from "+K more" is shown and leaves the list.
    const back = focusNeighbourhood(edges, 'hub', 1, FOCUS_CAP, ['t499'])
    expect(back.keep.has('t499')).toBe(true)
    expect(back.more).not.toContain('t499')
    expect(back.more).toHaveLength(500 - FOCUS_CAP - 1)
  })

  it('on any graph: kept tasks lie within the hops and connect to the focus through kept tasks; nothing is both kept and listed', () => {
    const graph = fc.array(fc.tuple(fc.nat(30), fc.nat(30), fc.constantFrom<SessionStatus | null>(null, 'active', 'escalated', 'resolved')), { maxLength: 120 })
    fc.assert(fc.property(graph, fc.nat(30), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 12 }), (raw, f, hops, cap) => {
      const edges = raw.filter(([a, b]) => a !== b).map(([a, b, s]) => link(`n${a}`, `n${b}`, s))
      const focus = `n${f}`
      const { keep, more } = focusNeighbourhood(edges, focus, hops, cap)
      const all = within(edges, focus, hops)
      expect(keep.has(focus)).toBe(true)
      expect(keep.size).toBeLessThanOrEqual(cap + 1)
      for (const k of keep) expect(all.has(k)).toBe(true)
      for (const m of more) (expect(all.has(m)).toBe(true), expect(keep.has(m)).toBe(false))
      // Nothing is cut when the whole neighbourhood fits.
      if (all.size <= cap + 1) (expect(keep).toEqual(all), expect(more).toEqual([]))
      else expect(keep.size).toBe(cap + 1)
      // Connected through kept tasks only.
      const inner = edges.filter((e) => keep.has(e.source) && keep.has(e.target))
      expect(within(inner, focus, hops)).toEqual(keep)
    }), { numRuns: 300 })
  })

  it('is what the graph filter shows in focus mode, with the cut neighbours as more', () => {
    const e = (s: string, t: string): GraphEdge => ({ id: `${s}|${t}`, source: s, target: t, rule: 'API_Contract', order: 'rule', confidence: 0.5, reason: '', why: '', session: null, sessionStatus: null })
    const spokes = Array.from({ length: 60 }, (_, i) => `s${i}`)
    const g: Graph = {
      nodes: [{ id: 'hub', title: 'Hub', repository: 'gw', status: 'claimed', claimedBy: 'p' }, ...spokes.map((id, i) => ({ id, title: `Spoke ${String(i).padStart(2, '0')}`, repository: `r${i % 5}`, status: 'claimed' as const, claimedBy: 'p' }))],
      edges: spokes.map((s) => e('hub', s)),
    }
    const focused = filterGraph(g, { repository: '', rule: '', status: '', focus: 'hub', hops: 2 })
    expect(focused.nodes).toHaveLength(FOCUS_CAP + 1)
    expect(focused.edges).toHaveLength(FOCUS_CAP)
    // Equally relevant neighbours come by title.
    expect(focused.more?.[0]).toBe(`s${FOCUS_CAP}`)
    expect(focused.more).toHaveLength(60 - FOCUS_CAP)
  })
})
