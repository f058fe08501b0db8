import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DependencyIndex, detectPair, HOT_ENTITY_TASKS, roomDependencies, type CustomRule, type Dependency, type Task } from './index'

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
  }).map((r): Task => ({ taskId: `t${String(i).padStart(4, '0')}`, projectId: 'p', ...r }))

// For rooms with hot entities: a rule word or two and one to three of a few entity nouns, so
// entities' holder counts spread around small limits and cross them both ways.
const RULE_WORDS = ['define api', 'implement page', 'add table', 'user service', 'feature flag', 'env var', 'jwt token', 'auth middleware', 'login page', 'mobile release', 'copy', 'translate']
const NOUNS = ['orders', 'preferences', 'invoice', 'cart', 'profile', 'shipment', 'coupon', 'search']
const arbRoomTask = fc.record({
  repository: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
  title: fc.tuple(fc.array(fc.constantFrom(...RULE_WORDS), { minLength: 1, maxLength: 2 }), fc.array(fc.constantFrom(...NOUNS), { minLength: 1, maxLength: 3 }))
    .map(([r, n]) => [...r, ...n].join(' ')),
}).map((r): Task => ({ taskId: '', projectId: 'p', description: '', ...r }))

const arbTasks = (max: number) => fc.integer({ min: 0, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbTask(i))))

const sortDeps = (ds: readonly Dependency[]) =>
  [...ds].sort((p, q) => `${p.task1} ${p.task2} ${p.relationship}`.localeCompare(`${q.task1} ${q.task2} ${q.relationship}`))

const pairwise = (tasks: readonly Task[], rules: readonly CustomRule[]): Dependency[] => {
  const out: Dependency[] = []
  for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) out.push(...detectPair(tasks[i], tasks[j], rules))
  return sortDeps(out)
}

const task = (taskId: string, repository: string, title: string): Task => ({ taskId, projectId: 'p', repository, title, description: '' })

describe('DependencyIndex', () => {
  it(`in a room of at most ${HOT_ENTITY_TASKS} tasks finds exactly what detectPair finds over all pairs`, () => {
    fc.assert(
      fc.property(arbTasks(HOT_ENTITY_TASKS), fc.boolean(), (tasks, withCustom) => {
        const rules = withCustom ? CUSTOM : []
        const index = new DependencyIndex(rules)
        const incremental: Dependency[] = []
        for (const t of tasks) incremental.push(...index.addTask(t))
        const expected = pairwise(tasks, rules)
        expect(sortDeps(index.all())).toEqual(expected)
        expect(sortDeps(incremental)).toEqual(expected) // nothing is hot: no link added earlier is dropped later
      }),
      { numRuns: 150 },
    )
  })

  it('equals roomDependencies after any sequence of adds, replacements and removals, hot entities included (searched)', () => {
    const op = fc.oneof(
      fc.record({ add: fc.integer({ min: 0, max: 29 }), task: fc.oneof(arbRoomTask, arbTask(0)) }),
      fc.record({ add: fc.integer({ min: 0, max: 29 }), task: arbRoomTask }),
      fc.record({ remove: fc.integer({ min: 0, max: 29 }) }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { minLength: 10, maxLength: 80 }), fc.boolean(), (hotAbove, ops, withCustom) => {
        const rules = withCustom ? CUSTOM : []
        const index = new DependencyIndex(rules, { hotAbove })
        const room = new Map<string, Task>()
        for (const o of ops) {
          if ('add' in o) {
            const t = { ...o.task, taskId: `t${String(o.add).padStart(4, '0')}` }
            room.delete(t.taskId)
            room.set(t.taskId, t)
            const mine = index.addTask(t)
            const expected = roomDependencies([...room.values()], rules, hotAbove).filter((d) => d.task1 === t.taskId || d.task2 === t.taskId)
            expect(sortDeps(mine)).toEqual(sortDeps(expected))
          } else {
            const id = `t${String(o.remove).padStart(4, '0')}`
            room.delete(id)
            index.removeTask(id)
          }
        }
        expect(sortDeps(index.all())).toEqual(sortDeps(roomDependencies([...room.values()], rules, hotAbove)))
        expect(index.size).toBe(room.size)
      }),
      { numRuns: 200 },
    )
  })

  it('an entity held by more than the limit links nothing by itself; a rarer shared entity still does; removals bring it back', () => {
    const index = new DependencyIndex([], { hotAbove: 4 })
    for (let i = 0; i < 4; i++) index.addTask(task(`p${i}`, `r${i}`, `Implement orders page ${i}`))
    // Five holders of "order": hot. The new task's only shared entity with the pages is "order".
    expect(index.addTask(task('api', 'rapi', 'Define orders API'))).toEqual([])
    expect(index.all()).toEqual([])
    expect(index.stats.hotKeysSkipped).toBeGreaterThan(0)
    const history = index.addTask(task('hist', 'rh', 'Define orders history API'))
    expect(history).toEqual([])
    expect(index.addTask(task('histPage', 'rhp', 'Implement orders history page')).map((d) => [d.task1, d.task2, d.relationship]))
      .toEqual([['hist', 'histPage', 'API_Contract']])
    // Back to four holders of "order": the links through it are there again.
    for (const id of ['p0', 'p1', 'hist']) index.removeTask(id)
    expect(index.all().map((d) => `${d.task1}-${d.task2}`).sort()).toEqual(['api-histPage', 'api-p2', 'api-p3'])
    const rest = [task('p2', 'r2', 'Implement orders page 2'), task('p3', 'r3', 'Implement orders page 3'), task('api', 'rapi', 'Define orders API'), task('histPage', 'rhp', 'Implement orders history page')]
    expect(sortDeps(index.all())).toEqual(sortDeps(roomDependencies(rest, [], 4)))
  })

  it('adding to a room where an entity is hot does not scan its holders', () => {
    const index = new DependencyIndex()
    for (let i = 0; i < 2000; i++) index.addTask(task(`t${i}`, `r${i}`, `Implement orders page ${i}`))
    const before = index.stats.candidates
    expect(index.addTask(task('x', 'rx', 'Define orders API'))).toEqual([])
    expect(index.stats.candidates - before).toBe(0)
  })

  it('replacing a task re-detects it', () => {
    const index = new DependencyIndex()
    index.addTask(task('a', 'r1', 'Define user authentication API'))
    expect(index.addTask(task('b', 'r2', 'Implement login page'))).toHaveLength(1)
    index.addTask(task('b', 'r2', 'Bump lodash version'))
    expect(index.all()).toEqual([])
    expect(index.size).toBe(2)
  })

  it('setRules returns the dependencies the new rules add and drops those they remove', () => {
    const index = new DependencyIndex()
    index.addTask(task('a', 'r1', 'Mobile release notes'))
    index.addTask(task('b', 'r2', 'Mobile release build'))
    expect(index.all()).toEqual([])
    const added = index.setRules(CUSTOM)
    expect(added.map((d) => [d.task1, d.task2, d.relationship])).toEqual([['a', 'b', 'Mobile']])
    expect(index.setRules([])).toEqual([])
    expect(index.all()).toEqual([])
  })

  it('custom rules and declared artifacts are not limited by hot entities', () => {
    const index = new DependencyIndex(CUSTOM, { hotAbove: 1 })
    index.addTask(task('a', 'r1', 'Orders mobile release page'))
    index.addTask(task('b', 'r2', 'Orders mobile release API'))
    index.addTask(task('c', 'r3', 'Orders mobile release endpoint'))
    expect(new Set(index.all().map((d) => d.relationship))).toEqual(new Set(['Mobile']))
    expect(index.all()).toHaveLength(3)
  })
})

describe('DependencyIndex at scale', () => {
  // Well above HOT_ENTITY_TASKS holders per entity (the vocabulary is 35 words), where the old
  // posting cap dropped links: the index must equal the room's reference exactly.
  it('equals roomDependencies on 2,100 random tasks, custom rules included', () => {
    fc.assert(
      fc.property(fc.array(arbTask(0), { minLength: 2100, maxLength: 2100 }), (drawn) => {
        const tasks = drawn.map((t, i) => ({ ...t, taskId: `t${String(i).padStart(4, '0')}` }))
        const index = new DependencyIndex(CUSTOM)
        for (const t of tasks) index.addTask(t)
        const expected = roomDependencies(tasks, CUSTOM)
        expect(expected.length).toBeGreaterThan(0)
        expect(index.stats.hotKeysSkipped).toBeGreaterThan(0)
        const got = index.all()
        expect(got.length).toBe(expected.length)
        expect(sortDeps(got)).toEqual(sortDeps(expected))
      }),
      { numRuns: 1, seed: 16 },
    )
  }, 120_000) // ~2.2M pairs checked by the reference: seconds, more on a loaded machine
})
