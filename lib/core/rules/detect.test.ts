import { describe, expect, it } from 'vitest'
import { detectPair } from './index'
import type { Task } from './types'

const task = (taskId: string, repository: string, title: string, description = ''): Task => ({
  taskId,
  projectId: 'p',
  repository,
  title,
  description,
})

const CHORUS_EXAMPLES: readonly [string, string, string][] = [
  ['Define user authentication API', 'Implement authentication endpoint', 'API_Contract'],
  ['Define user authentication API', 'Implement login page', 'API_Contract'],
  ['Add user preferences table', 'Update user service for preferences', 'Database_Schema'],
  ['Add feature flag for new UI', 'Implement feature flag checks in backend', 'Configuration_Dependency'],
  ['Implement JWT token refresh', 'Update authentication middleware', 'Security_Compliance'],
]

describe('detectPair: the CHORUS examples', () => {
  it.each(CHORUS_EXAMPLES)('%s ↔ %s is %s (and that is the strongest relationship)', (a, b, rel) => {
    const deps = detectPair(task('t1', 'acme/api', a), task('t2', 'acme/web', b))
    expect(deps.map((d) => d.relationship)).toContain(rel)
    expect(deps[0].relationship).toBe(rel)
    expect(deps[0].confidence).toBeGreaterThan(0)
    expect(deps[0].confidence).toBeLessThanOrEqual(1)
  })

  it.each(CHORUS_EXAMPLES)('%s ↔ %s inside one repository gives nothing', (a, b) => {
    expect(detectPair(task('t1', 'acme/api', a), task('t2', 'acme/api', b))).toEqual([])
    expect(detectPair(task('t1', 'Acme/API.git', a), task('t2', 'acme/api/', b))).toEqual([])
  })

  it('is symmetric in its arguments and orders task1 < task2', () => {
    const [a, b] = [task('zeta', 'r1', 'Define user authentication API'), task('alpha', 'r2', 'Implement login page')]
    const ab = detectPair(a, b)
    expect(ab).toEqual(detectPair(b, a))
    expect(ab[0]).toMatchObject({ task1: 'alpha', task2: 'zeta' })
  })

  it('explains the match with the words from both tasks', () => {
    const [d] = detectPair(task('t1', 'r1', 'Add user preferences table'), task('t2', 'r2', 'Update user service for preferences'))
    expect(d.reason).toContain('table')
    expect(d.reason).toContain('service')
    expect(d.reason).toContain('preferences')
  })
})

describe('detectPair: what must not match', () => {
  it('unrelated tasks give nothing', () => {
    expect(detectPair(task('t1', 'r1', 'Fix typo in README'), task('t2', 'r2', 'Bump lodash version'))).toEqual([])
  })

  it('"capital" does not match "api"', () => {
    const deps = detectPair(
      task('t1', 'r1', 'Show capital gains in the tax report', 'capital allocation rapid'),
      task('t2', 'r2', 'Implement capital gains export page'),
    )
    expect(deps.map((d) => d.relationship)).not.toContain('API_Contract')
    expect(detectPair(task('t1', 'r1', 'Define capital API'), task('t2', 'r2', 'Implement capital page'))[0].relationship).toBe('API_Contract')
  })

  it('an API and an implementation about different things do not match', () => {
    expect(detectPair(task('t1', 'r1', 'Define billing API'), task('t2', 'r2', 'Implement search page'))).toEqual([])
  })

  it('a task never depends on itself', () => {
    const t = task('t1', 'r1', 'Define user authentication API')
    expect(detectPair(t, { ...t, repository: 'r2' })).toEqual([])
  })
})

describe('detectPair: whole words, phrases and forms', () => {
  it('matches camelCase, snake_case and abbreviations', () => {
    const deps = detectPair(task('t1', 'r1', 'Add FEATURE_FLAG dark_mode'), task('t2', 'r2', 'Read featureFlag dark mode in backend'))
    expect(deps[0].relationship).toBe('Configuration_Dependency')
    const env = detectPair(task('t1', 'r1', 'Add env var for payments timeout'), task('t2', 'r2', 'Check environment variable payments timeout'))
    expect(env[0].relationship).toBe('Configuration_Dependency')
    expect(env[0].reason).toMatch(/env var/)
  })

  it('takes rule words from the description and keywords, and entities from the title and keywords', () => {
    const a = { ...task('t1', 'r1', 'Orders', 'with a status column'), keywords: ['sql'] }
    const b = task('t2', 'r2', 'Orders report', 'Query them in the reporting service')
    const [d] = detectPair(a, b)
    expect(d.relationship).toBe('Database_Schema')
    expect(d.reason).toMatch(/sql.*column|column.*sql/)
  })

  it('an entity mentioned only in descriptions is not a shared entity', () => {
    const a = task('t1', 'r1', 'Schema work', 'Create the orders table')
    const b = task('t2', 'r2', 'Reporting', 'Query orders in the reporting service')
    expect(detectPair(a, b)).toEqual([])
  })
})

describe('detectPair: confidence', () => {
  const conf = (a: string, b: string) => detectPair(task('t1', 'r1', a), task('t2', 'r2', b))[0]?.confidence ?? 0

  it('more evidence gives higher confidence', () => {
    const base = conf('Define orders API', 'Implement orders page')
    const moreShared = conf('Define orders history API', 'Implement orders history page')
    const topicBoth = conf('Define orders history API', 'Implement orders history endpoint')
    expect(base).toBeGreaterThan(0)
    expect(moreShared).toBeGreaterThan(base)
    expect(topicBoth).toBeGreaterThan(moreShared)
  })

  it('a definition/implementation pair beats two implementations', () => {
    expect(conf('Define orders API', 'Implement orders page')).toBeGreaterThan(conf('Refactor orders API', 'Restyle orders page'))
  })

  it('a concept-only share is weaker than the same word', () => {
    expect(conf('Define user authentication API', 'Implement authentication page')).toBeGreaterThan(
      conf('Define user authentication API', 'Implement login page'),
    )
  })

  it('is not a constant and stays in (0, 1)', () => {
    const values = new Set(CHORUS_EXAMPLES.map(([a, b]) => conf(a, b)))
    expect(values.size).toBeGreaterThan(1)
    for (const v of values) expect(v > 0 && v < 1).toBe(true)
  })
})
