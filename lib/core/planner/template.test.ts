import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Task } from '../rules/types'
import { planSchema, PlannerInputError, renderPlan, templatePlan } from './index'

const task = (taskId: string, repository: string, title: string, agentId?: string): Task => ({
  taskId, projectId: 'p', repository, title, description: '', ...(agentId ? { agentId } : {}),
})

// Consumer first in the input, so the planner has to decide the order from the text.
const PAIRS: readonly [string, string, string, RegExp][] = [
  ['Implement authentication endpoint', 'Define user authentication API', 'API_Contract', /definition before implementation/],
  ['Implement login page', 'Define user authentication API', 'API_Contract', /definition before implementation/],
  ['Update user service for preferences', 'Add user preferences table', 'Database_Schema', /schema before consumer/],
  ['Implement feature flag checks in backend', 'Add feature flag for new UI', 'Configuration_Dependency', /flag before checks/],
  ['Update authentication middleware', 'Implement JWT token refresh', 'Security_Compliance', /auth provider before middleware/],
]

describe('templatePlan: dependency sessions', () => {
  it.each(PAIRS)('"%s" waits for "%s" (%s)', (consumer, producer, relationship, principle) => {
    const plan = templatePlan({ sessionType: 'dependency', relationship, tasks: [task('t1', 'acme/web', consumer), task('t2', 'acme/api', producer)] })
    expect(planSchema.safeParse(plan).success).toBe(true)
    expect(plan.sequence.map((s) => [s.taskId, s.order])).toEqual([['t2', 1], ['t1', 2]])
    expect(plan.sequence[1].reason).toMatch(principle)
    expect(plan.artifacts).toHaveLength(1)
    expect(plan.artifacts[0]).toMatchObject({ producer: 't2', consumers: ['t1'] })
    expect(plan.coordinationPoints.length).toBeGreaterThan(0)
    expect(plan.risks.length).toBeGreaterThan(0)
    expect(plan.successCriteria.length).toBeGreaterThan(0)
    expect(plan.planner).toEqual({ kind: 'template' })
  })

  it('is deterministic and independent of input order', () => {
    const a = task('t1', 'acme/web', 'Implement login page')
    const b = task('t2', 'acme/api', 'Define user authentication API')
    const r = [task('t9', 'acme/docs', 'Document login flow'), task('t8', 'acme/mobile', 'Mobile login')]
    const p1 = templatePlan({ sessionType: 'dependency', relationship: 'API_Contract', tasks: [a, b], related: r })
    const p2 = templatePlan({ sessionType: 'dependency', relationship: 'API_Contract', tasks: [b, a], related: [...r].reverse() })
    expect(p2).toEqual(p1)
  })

  it('runs tasks in parallel when the text gives no ordering signal', () => {
    const plan = templatePlan({
      sessionType: 'dependency', relationship: 'Configuration_Dependency',
      tasks: [task('a', 'r1', 'Feature flag for dark mode'), task('b', 'r2', 'Feature flag for dark mode')],
    })
    expect(plan.sequence.map((s) => s.order)).toEqual([1, 1])
    expect(plan.sequence[0].reason).toMatch(/parallel/)
  })

  it('mentions related tasks as context', () => {
    const plan = templatePlan({
      sessionType: 'dependency', relationship: 'API_Contract',
      tasks: [task('t1', 'r1', 'Define user authentication API'), task('t2', 'r2', 'Implement login page')],
      related: [task('t9', 'r3', 'Document login flow')],
    })
    expect(plan.coordinationPoints.join('\n')).toContain('t9')
    expect(plan.sequence.map((s) => s.taskId)).not.toContain('t9')
  })

  it('gives custom relationships a generic but ordered plan', () => {
    const plan = templatePlan({
      sessionType: 'dependency', relationship: 'Translation_Strings',
      tasks: [task('t1', 'r1', 'Use the checkout copy'), task('t2', 'r2', 'Define checkout copy')],
    })
    expect(plan.sequence[0].taskId).toBe('t2')
    expect(plan.sequence[1].reason).toMatch(/producer before consumer/)
  })

  it('treats relationship names like "constructor" as plain custom rules', () => {
    const plan = templatePlan({
      sessionType: 'dependency', relationship: 'constructor',
      tasks: [task('t1', 'r1', 'Use the toString copy'), task('t2', 'r2', 'Define toString copy')],
    })
    expect(plan.sequence[1].reason).toMatch(/producer before consumer/)
  })

  it('refuses an empty task list', () => {
    expect(() => templatePlan({ sessionType: 'planning', tasks: [] })).toThrow(PlannerInputError)
  })
})

describe('templatePlan: planning sessions', () => {
  it('orders several tasks by their detected dependencies, independent tasks at 1', () => {
    const plan = templatePlan({
      sessionType: 'planning',
      tasks: [
        task('mw', 'r4', 'Update authentication middleware'),
        task('jwt', 'r3', 'Implement JWT token refresh'),
        task('typo', 'r5', 'Fix typo in README'),
      ],
    })
    const order = Object.fromEntries(plan.sequence.map((s) => [s.taskId, s.order]))
    expect(order).toEqual({ jwt: 1, mw: 2, typo: 1 })
    expect(plan.sequence.find((s) => s.taskId === 'typo')?.reason).toMatch(/Independent/)
  })

  it('always yields a valid plan for random task sets', () => {
    const words = ['define', 'implement', 'api', 'page', 'table', 'service', 'flag', 'jwt', 'middleware', 'user', 'orders']
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        (titles) => {
          const tasks = titles.map((t, i) => task(`t${i}`, `r${i % 3}`, t.join(' ')))
          const plan = templatePlan({ sessionType: 'planning', tasks })
          expect(planSchema.safeParse(plan).success).toBe(true)
          expect(new Set(plan.sequence.map((s) => s.taskId)).size).toBe(tasks.length)
          expect(templatePlan({ sessionType: 'planning', tasks: [...tasks].reverse() })).toEqual(plan)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('templatePlan: conflict sessions', () => {
  const claims = [task('t1', 'acme/web', 'Implement login page', 'agent-a'), task('t1', 'acme/web', 'Implement login page', 'agent-b')]

  it('one agent keeps the task, the same one whatever the order of claims', () => {
    const p1 = templatePlan({ sessionType: 'conflict', tasks: claims })
    const p2 = templatePlan({ sessionType: 'conflict', tasks: [...claims].reverse() })
    expect(p1).toEqual(p2)
    expect(planSchema.safeParse(p1).success).toBe(true)
    expect(p1.sequence[0].taskId).toBe('t1')
    const keeper = p1.sequence[0].reason.split(' ')[0]
    expect(['agent-a', 'agent-b']).toContain(keeper)
    const other = keeper === 'agent-a' ? 'agent-b' : 'agent-a'
    expect(p1.coordinationPoints[0]).toContain(`${other} releases its claim on t1`)
    expect(p1.artifacts[0]).toMatchObject({ producer: other, consumers: [keeper] })
  })

  it('does not always favour the same agent across tasks', () => {
    const winners = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const p = templatePlan({ sessionType: 'conflict', tasks: [task(`t${i}`, 'r', 'x', 'agent-a'), task(`t${i}`, 'r', 'x', 'agent-b')] })
      winners.add(p.sequence[0].reason.split(' ')[0])
    }
    expect(winners).toEqual(new Set(['agent-a', 'agent-b']))
  })

  it('offers the agent that steps back an unclaimed related task', () => {
    const p = templatePlan({
      sessionType: 'conflict', tasks: claims,
      related: [task('t7', 'acme/web', 'Style login page', 'agent-c'), task('t9', 'acme/docs', 'Document login flow')],
    })
    expect(p.sequence.map((s) => s.taskId)).toEqual(['t1', 't9'])
    expect(p.coordinationPoints[0]).toContain('claims t9')
  })
})

describe('renderPlan', () => {
  it('renders every section readably', () => {
    const plan = templatePlan({
      sessionType: 'dependency', relationship: 'Database_Schema',
      tasks: [task('t1', 'r1', 'Update user service for preferences'), task('t2', 'r2', 'Add user preferences table')],
    })
    const text = renderPlan(plan)
    for (const heading of ['Summary:', 'Sequence', 'Artifacts to share:', 'Coordination points:', 'Risks:', 'Success criteria:', 'Planner: template']) {
      expect(text).toContain(heading)
    }
    expect(text.indexOf('1. t2')).toBeLessThan(text.indexOf('2. t1'))
    expect(text).toContain('Schema migration: preferences (t2 → t1)')
  })

  it('shows the LLM model and a fallback reason', () => {
    const plan = templatePlan({ sessionType: 'planning', tasks: [task('t1', 'r1', 'Define API')] })
    expect(renderPlan({ ...plan, planner: { kind: 'llm', model: 'qwen3' } })).toContain('Planner: llm (qwen3)')
    expect(renderPlan({ ...plan, planner: { kind: 'template', fallbackReason: 'timeout' } })).toContain('fallback: timeout')
  })
})

describe('templatePlan: declared artifacts', () => {
  it('orders the producer first even when the words point the other way, and names the artifacts', () => {
    // The titles alone read the web task as the producer ("Define"), the api task as a consumer.
    const api = { taskId: 'api', projectId: 'p', repository: 'api', title: 'Implement the login endpoint', description: '', artifacts: [{ id: 'openapi:POST /v1/login', role: 'define' as const }] }
    const web = { taskId: 'web', projectId: 'p', repository: 'web', title: 'Define the sign-in screen API usage', description: '', artifacts: [{ id: 'openapi:POST /v1/login', role: 'consume' as const }] }
    const plan = templatePlan({ sessionType: 'dependency', relationship: 'API_Contract', tasks: [web, api] })
    expect(plan.sequence.map((s) => [s.taskId, s.order])).toEqual([['api', 1], ['web', 2]])
    expect(plan.sequence[1].reason).toContain('api defines openapi:POST /v1/login, which web consumes')
    expect(plan.artifacts).toEqual([expect.objectContaining({ name: 'openapi:POST /v1/login', producer: 'api', consumers: ['web'] })])
  })
})
