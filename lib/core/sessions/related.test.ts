import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { linkTasks, relatedTasks } from './related'

/** The definition, by brute force: tasks reached in ≤ `hops` steps along any edge, either way. */
function reference(edges: ReadonlyArray<readonly [string, string]>, tasks: readonly string[], hops: number): string[] {
  const reached = new Set(tasks)
  for (let h = 0; h < hops; h++) {
    const before = [...reached]
    for (const [a, b] of edges) {
      if (before.includes(a)) reached.add(b)
      if (before.includes(b)) reached.add(a)
    }
  }
  return [...reached].filter((t) => !tasks.includes(t)).sort()
}

const task = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')

describe('related tasks from the links the fold keeps', () => {
  it('equal the tasks within the hop limit along the dependencies, whatever their order, repeats and self-links', () => {
    let reachedSomething = 0
    fc.assert(
      fc.property(fc.array(fc.tuple(task, task), { maxLength: 24 }), fc.uniqueArray(task, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 4 }), (edges, tasks, hops) => {
        const links = new Map<string, readonly string[]>()
        for (const [a, b] of edges) for (const [k, v] of linkTasks(links, a, b)) links.set(k, v)
        const want = reference(edges, tasks, hops)
        if (want.length > 0) reachedSomething++
        expect(relatedTasks(links, tasks, hops)).toEqual(want)
      }),
      { numRuns: 300 },
    )
    expect(reachedSomething).toBeGreaterThan(100)
  })

  it('never edit the arrays a checkpoint may still share', () => {
    const links = new Map<string, readonly string[]>([['a', ['b']]])
    const shared = links.get('a')
    for (const [k, v] of linkTasks(links, 'a', 'c')) links.set(k, v)
    expect(shared).toEqual(['b'])
    expect(links.get('a')).toEqual(['b', 'c'])
    expect(links.get('c')).toEqual(['a'])
    expect(linkTasks(links, 'c', 'a')).toEqual([])
  })
})
