import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseArtifact } from './artifacts'
import { DependencyIndex, detectPair } from './index'
import { taskSchema, type Task } from './types'

const t = (taskId: string, repository: string, title: string, artifacts: Task['artifacts'] = [], description = ''): Task => ({
  taskId,
  projectId: 'p',
  repository,
  title,
  description,
  artifacts,
})
const define = (id: string) => ({ id, role: 'define' as const })
const consume = (id: string) => ({ id, role: 'consume' as const })

describe('parseArtifact', () => {
  it.each([
    ['openapi:POST /v1/login', 'openapi:POST /v1/login'],
    ['openapi:post /V1/Login/', 'openapi:POST /v1/login'],
    ['openapi:GET /users/{id}', 'openapi:GET /users/{}'],
    ['openapi:GET /users/:userId', 'openapi:GET /users/{}'],
    ['table:User_Preferences', 'table:user_preferences'],
    ['table:public.user_preferences', 'table:user_preferences'],
    ['table:"billing"."invoices"', 'table:billing.invoices'],
    ['env:rate_limit', 'env:RATE_LIMIT'],
    ['proto:auth.v1.Login', 'proto:auth.v1.Login'],
    ['proto:auth.v1.AuthService/Login', 'proto:auth.v1.AuthService/Login'],
    ['graphql:Query.invoices', 'graphql:Query.invoices'],
    ['event:Order.Created', 'event:order.created'],
    ['EVENT:order.created', 'event:order.created'],
  ])('%s → %s', (id, key) => expect(parseArtifact(id)?.key).toBe(key))

  it.each(['login', 'openapi:/v1/login', 'openapi:FETCH /v1', 'openapi:GET v1/login', 'table:drop table x', 'env:RATE-LIMIT', 'proto:auth v1', 'graphql:Query.a.b', 'unknown:thing', ':x'])(
    'refuses %s',
    (id) => expect(parseArtifact(id)).toBeNull(),
  )

  it('is what the task schema checks', () => {
    expect(taskSchema.safeParse(t('a', 'r', 'x', [define('openapi:POST /v1/login')])).success).toBe(true)
    const bad = taskSchema.safeParse(t('a', 'r', 'x', [define('openapi:/v1/login')]))
    expect(bad.success).toBe(false)
    expect(!bad.success && bad.error.issues[0].message).toMatch(/an artifact id: openapi:METHOD \/path/)
  })
})

describe('detection from artifacts', () => {
  it('a defined and a consumed artifact across repositories: a dependency naming it, producer first', () => {
    const api = t('z-api', 'acme/identity', 'Rework sessions', [define('openapi:POST /v1/login')])
    const web = t('a-web', 'acme/web', 'Polish the header', [consume('openapi:post /v1/login/')])
    const [d] = detectPair(api, web)
    expect(d).toMatchObject({ task1: 'a-web', task2: 'z-api', relationship: 'API_Contract', confidence: 0.9 })
    expect(d.reason).toBe('artifacts — openapi:POST /v1/login: defined by z-api, consumed by a-web (z-api goes first)')
  })

  it('replaces the word-based match of the same relationship and keeps the others', () => {
    const api = t('auth-api', 'api', 'Define user authentication API', [define('openapi:POST /v1/login'), define('openapi:POST /v1/logout')])
    const web = t('login-page', 'web', 'Implement login page', [consume('openapi:POST /v1/login'), consume('openapi:POST /v1/logout')], 'Login form that calls the authentication API')
    const deps = detectPair(api, web)
    const contract = deps.filter((d) => d.relationship === 'API_Contract')
    expect(contract).toHaveLength(1)
    expect(contract[0].reason).toMatch(/^artifacts — /)
    expect(contract[0].confidence).toBe(0.91)
  })

  it('maps kinds to relationships; two definers meet with less confidence; two consumers never', () => {
    expect(detectPair(t('a', 'db', 'x', [define('table:prefs')]), t('b', 'svc', 'y', [consume('table:prefs')]))[0]).toMatchObject({ relationship: 'Database_Schema' })
    expect(detectPair(t('a', 'cfg', 'x', [define('env:RATE_LIMIT')]), t('b', 'svc', 'y', [consume('env:rate_limit')]))[0]).toMatchObject({ relationship: 'Configuration_Dependency' })
    const both = detectPair(t('a', 'r1', 'x', [define('event:order.created')]), t('b', 'r2', 'y', [define('event:order.created')]))
    expect(both[0]).toMatchObject({ relationship: 'API_Contract', confidence: 0.7 })
    expect(both[0].reason).toMatch(/defined by both a and b \(no single producer/)
    expect(detectPair(t('a', 'r1', 'x', [consume('event:order.created')]), t('b', 'r2', 'y', [consume('event:order.created')]))).toEqual([])
  })

  it('never links tasks that merely share a word with an artifact name', () => {
    const api = t('auth-api', 'api', 'Tidy logging', [define('openapi:POST /v1/login')])
    const mention = t('login-copy', 'web', 'Fix the login button label', [], 'The login text on the page is cut off')
    expect(detectPair(api, mention)).toEqual([])
    const table = t('prefs', 'db', 'Vacuum', [define('table:user_preferences')])
    expect(detectPair(table, t('ui', 'web', 'User preferences colours', [consume('table:preferences')]))).toEqual([])
  })

  it('the index finds exactly the pairwise artifact dependencies (searched)', () => {
    const ids = ['openapi:GET /a', 'openapi:POST /a', 'table:t1', 'env:X', 'event:e', 'graphql:Query.q']
    const taskArb = fc.record({
      repo: fc.constantFrom('r1', 'r2', 'r3'),
      arts: fc.array(fc.record({ id: fc.constantFrom(...ids), role: fc.constantFrom('define' as const, 'consume' as const) }), { maxLength: 3 }),
    })
    fc.assert(
      fc.property(fc.array(taskArb, { minLength: 2, maxLength: 12 }), (specs) => {
        const tasks = specs.map((s, i) => t(`t${i}`, s.repo, 'Tidy', s.arts))
        const index = new DependencyIndex()
        for (const x of tasks) index.addTask(x)
        const pairwise = tasks.flatMap((x, i) => tasks.slice(i + 1).flatMap((y) => detectPair(x, y)))
        const key = (d: { task1: string; task2: string; relationship: string }) => `${d.task1}|${d.task2}|${d.relationship}`
        expect(index.all().map(key).sort()).toEqual(pairwise.map(key).sort())
      }),
      { numRuns: 150 },
    )
  })
})
