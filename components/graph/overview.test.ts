import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { repositoryLinks } from './elk-graph'
import type { Graph } from './graph-model'
import { linkWidth, overviewLinks, type Box } from './overview'

const REPOS = ['api', 'db', 'gateway', 'web', 'worker']
const box = fc.record({ x: fc.integer({ min: -2000, max: 2000 }), y: fc.integer({ min: -2000, max: 2000 }), width: fc.integer({ min: 50, max: 900 }), height: fc.integer({ min: 40, max: 600 }) })
/** Tasks in a few repositories, dependencies between random pairs of them, and boxes for some repositories. */
const room = fc.record({
  repoOf: fc.array(fc.constantFrom(...REPOS), { minLength: 2, maxLength: 30 }),
  pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
  boxes: fc.dictionary(fc.constantFrom(...REPOS), box),
})

/** The numbers of an SVG path, in order. */
const numbers = (path: string) => path.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number)

describe('the zoomed-out view’s links between repositories', () => {
  it('draws each pair of repositories with a box once, from the right side of the first box to the left side of the second, labelled with its count', () => {
    fc.assert(fc.property(room, ({ repoOf, pairs, boxes }) => {
      const nodes = repoOf.map((repository, i) => ({ id: `t${i}`, repository })) as Graph['nodes']
      const edges = pairs.map(([a, b], i) => ({ id: `e${i}`, source: `t${a % repoOf.length}`, target: `t${b % repoOf.length}` })) as Graph['edges']
      const at = new Map(Object.entries(boxes)) as Map<string, Box>
      const links = repositoryLinks({ nodes, edges } as Graph)
      const drawn = overviewLinks(links, at)
      const wanted = links.filter((l) => at.has(l.source) && at.has(l.target))
      expect(drawn.map((d) => d.id)).toEqual(wanted.map((l) => `${l.source}|${l.target}`))
      for (const [i, l] of wanted.entries()) {
        const [a, b, d] = [at.get(l.source)!, at.get(l.target)!, drawn[i]]
        const n = numbers(d.path)
        expect(n.slice(0, 2)).toEqual([a.x + a.width, a.y + a.height / 2])
        expect(n.slice(-2)).toEqual([b.x, b.y + b.height / 2])
        expect(d.label).toBe(String(l.count))
        expect(d.width).toBe(linkWidth(l.count))
        // The label sits between the two ends.
        expect(d.x).toBeGreaterThanOrEqual(Math.min(a.x + a.width, b.x) - 1e-9)
        expect(d.x).toBeLessThanOrEqual(Math.max(a.x + a.width, b.x) + 1e-9)
      }
      // Every dependency between two boxed repositories is counted by exactly one link.
      const boxed = edges.filter((e) => {
        const [ra, rb] = [repoOf[Number(e.source.slice(1))], repoOf[Number(e.target.slice(1))]]
        return ra !== rb && at.has(ra) && at.has(rb)
      })
      expect(drawn.reduce((s, d) => s + Number(d.label), 0)).toBe(boxed.length)
    }))
  })

  it('grows with the count and stops at 8 px', () => {
    expect([1, 2, 4, 64, 128, 10_000].map(linkWidth)).toEqual([1, 2, 3, 7, 8, 8])
  })
})
