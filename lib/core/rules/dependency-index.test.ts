import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRules } from './compile'
import { detectFeatures } from './detect'
import { taskFeatures } from './features'
import { DEFAULT_EXACT_BELOW, DependencyIndex, detectPair, type CustomRule, type Dependency, type Task } from './index'

// Words chosen to hit every rule's topic, consumer and entity paths, plus noise.
const VOCAB = [
  'define', 'implement', 'add', 'update', 'api', 'endpoint', 'page', 'table', 'service', 'migration', 'schema',
  'feature flag', 'env var', 'config', 'jwt', 'token', 'middleware', 'authentication', 'login', 'user',
  'preferences', 'orders', 'billing', 'invoice', 'search', 'capital', 'readme', 'typo', 'checks', 'backend',
  'mobile release', 'copy', 'translate', 'the', 'for',
]
const CUSTOM: CustomRule[] = [
  { name: 'Mobile', description: 'm', keywords: ['mobile release', 'orders'] },
  { name: 'I18n', description: 'i', keywords: ['copy'], requires: [['copy', 'readme'], ['translate']] },
]

const arbTask = (i: number) =>
  fc.record({
    repository: fc.constantFrom('r1', 'r2', 'r3', 'R1'),
    title: fc.array(fc.constantFrom(...VOCAB), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
    description: fc.array(fc.constantFrom(...VOCAB), { maxLength: 6 }).map((w) => w.join(' ')),
  }).map((r): Task => ({ taskId: `t${String(i).padStart(3, '0')}`, projectId: 'p', ...r }))

const arbTasks = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbTask(i))))

const sortDeps = (ds: Dependency[]) =>
  [...ds].sort((p, q) => `${p.task1} ${p.task2} ${p.relationship}`.localeCompare(`${q.task1} ${q.task2} ${q.relationship}`))

const pairwise = (tasks: readonly Task[], rules: readonly CustomRule[]): Dependency[] => {
  const out: Dependency[] = []
  for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) out.push(...detectPair(tasks[i], tasks[j], rules))
  return sortDeps(out)
}

describe('DependencyIndex', () => {
  it('finds exactly what detectPair finds over all pairs (no cap)', () => {
    fc.assert(
      fc.property(arbTasks, fc.boolean(), (tasks, withCustom) => {
        const rules = withCustom ? CUSTOM : []
        const index = new DependencyIndex(rules, { maxPostings: Infinity })
        const incremental: Dependency[] = []
        for (const t of tasks) incremental.push(...index.addTask(t))
        const expected = pairwise(tasks, rules)
        expect(sortDeps(index.all())).toEqual(expected)
        expect(sortDeps(incremental)).toEqual(expected)
      }),
      { numRuns: 150 },
    )
  })

  it('after removals, equals pairwise detection over the remaining tasks', () => {
    fc.assert(
      fc.property(arbTasks, fc.array(fc.nat(), { maxLength: 10 }), (tasks, picks) => {
        const index = new DependencyIndex(CUSTOM, { maxPostings: Infinity })
        for (const t of tasks) index.addTask(t)
        const removed = new Set(tasks.length ? picks.map((p) => tasks[p % tasks.length].taskId) : [])
        for (const id of removed) index.removeTask(id)
        expect(sortDeps(index.all())).toEqual(pairwise(tasks.filter((t) => !removed.has(t.taskId)), CUSTOM))
      }),
      { numRuns: 100 },
    )
  })

  it('with a hot-key cap, reports a subset, and each reported pair exactly as detectPair does', () => {
    fc.assert(
      fc.property(arbTasks, (tasks) => {
        const index = new DependencyIndex(CUSTOM, { maxPostings: 2, exactBelow: 0 })
        for (const t of tasks) index.addTask(t)
        const byId = new Map(tasks.map((t) => [t.taskId, t]))
        const got = index.all()
        const pairs = new Set(got.map((d) => `${d.task1} ${d.task2}`))
        for (const p of pairs) {
          const [a, b] = p.split(' ')
          expect(sortDeps(got.filter((d) => `${d.task1} ${d.task2}` === p))).toEqual(sortDeps(detectPair(byId.get(a)!, byId.get(b)!, CUSTOM)))
        }
        const all = new Set(pairwise(tasks, CUSTOM).map((d) => `${d.task1} ${d.task2}`))
        for (const p of pairs) expect(all.has(p)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('is exact while the room is smaller than exactBelow, then skips hot keys', () => {
    const index = new DependencyIndex([], { maxPostings: 2, exactBelow: 5 })
    const add = (i: number) =>
      index.addTask({ taskId: `t${i}`, projectId: 'p', repository: `r${i}`, title: `Implement orders page ${i}`, description: '' })
    for (let i = 0; i < 4; i++) add(i)
    const define = (id: string) => index.addTask({ taskId: id, projectId: 'p', repository: `r-${id}`, title: 'Define orders API', description: '' })
    expect(define('x')).toHaveLength(4) // 4 tasks < 5: exact
    // 5 tasks: the key of the four pages is hot and skipped; x (a rarer key) is still found.
    expect(define('y').map((d) => [d.task1, d.task2])).toEqual([['x', 'y']])
  })

  it('replacing a task re-detects it', () => {
    const index = new DependencyIndex()
    index.addTask({ taskId: 'a', projectId: 'p', repository: 'r1', title: 'Define user authentication API', description: '' })
    expect(index.addTask({ taskId: 'b', projectId: 'p', repository: 'r2', title: 'Implement login page', description: '' })).toHaveLength(1)
    index.addTask({ taskId: 'b', projectId: 'p', repository: 'r2', title: 'Bump lodash version', description: '' })
    expect(index.all()).toEqual([])
    expect(index.size).toBe(2)
  })

  it('setRules returns the dependencies the new rules add and drops those they remove', () => {
    const index = new DependencyIndex()
    index.addTask({ taskId: 'a', projectId: 'p', repository: 'r1', title: 'Mobile release notes', description: '' })
    index.addTask({ taskId: 'b', projectId: 'p', repository: 'r2', title: 'Mobile release build', description: '' })
    expect(index.all()).toEqual([])
    const added = index.setRules(CUSTOM)
    expect(added.map((d) => [d.task1, d.task2, d.relationship])).toEqual([['a', 'b', 'Mobile']])
    expect(index.setRules([])).toEqual([])
    expect(index.all()).toEqual([])
  })

  it('a very common entity does not make adding a task scan the room', () => {
    const index = new DependencyIndex([], { maxPostings: 50, exactBelow: 0 })
    for (let i = 0; i < 2000; i++) {
      index.addTask({ taskId: `t${i}`, projectId: 'p', repository: `r${i}`, title: `Implement orders page ${i}`, description: '' })
    }
    const before = index.stats.candidates
    const found = index.addTask({ taskId: 'x', projectId: 'p', repository: 'rx', title: 'Define orders API', description: '' })
    expect(index.stats.candidates - before).toBe(0)
    expect(index.stats.hotKeysSkipped).toBeGreaterThan(0)
    expect(found).toEqual([])
    const exact = new DependencyIndex([], { maxPostings: Infinity })
    for (let i = 0; i < 100; i++) {
      exact.addTask({ taskId: `t${i}`, projectId: 'p', repository: `r${i}`, title: `Implement orders page ${i}`, description: '' })
    }
    expect(exact.addTask({ taskId: 'x', projectId: 'p', repository: 'rx', title: 'Define orders API', description: '' })).toHaveLength(100)
  })
})

describe('DependencyIndex at scale', () => {
  // Above DEFAULT_EXACT_BELOW (2000 tasks), where the default index starts skipping hot keys:
  // without a cap the index must still find every pair the pairwise rules accept, so what the
  // cap drops is only ever its own choice (docs/adr/0014), never a key the index forgot.
  it('without a cap equals pairwise detection on 2,100 random tasks, custom rules included', () => {
    const rules = compileRules(CUSTOM)
    fc.assert(
      fc.property(fc.array(arbTask(0), { minLength: 2100, maxLength: 2100 }), (drawn) => {
        const tasks = drawn.map((t, i) => ({ ...t, taskId: `t${String(i).padStart(4, '0')}` }))
        const index = new DependencyIndex(CUSTOM, { maxPostings: Infinity })
        for (const t of tasks) index.addTask(t)
        const features = tasks.map(taskFeatures)
        const expected: Dependency[] = []
        for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) expected.push(...detectFeatures(features[i], features[j], rules))
        expect(index.size).toBeGreaterThan(DEFAULT_EXACT_BELOW)
        const got = index.all()
        expect(got.length).toBe(expected.length)
        expect(sortDeps(got)).toEqual(sortDeps(expected))
      }),
      { numRuns: 1, seed: 16 },
    )
  }, 120_000) // ~2.2M pairs checked pairwise: seconds, more on a loaded machine
})
