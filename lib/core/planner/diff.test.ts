import { describe, expect, it } from 'vitest'
import type { Task } from '../rules/types'
import { diffPlans, templatePlan, type Plan } from './index'

const task = (taskId: string, repository: string, title: string): Task => ({ taskId, projectId: 'p', repository, title, description: '' })
const base: Plan = templatePlan({
  sessionType: 'dependency', relationship: 'API_Contract',
  tasks: [task('t1', 'r1', 'Define user authentication API'), task('t2', 'r2', 'Implement login page')],
})

describe('diffPlans', () => {
  it('equal plans have no changes', () => {
    expect(diffPlans(base, structuredClone(base))).toEqual([])
  })

  it('reports a human edit field by field', () => {
    const edited: Plan = {
      ...base,
      summary: 'Edited by a reviewer.',
      sequence: [...base.sequence.map((s) => (s.taskId === 't2' ? { ...s, order: 1, reason: 'In parallel with a mock.' } : s)), { taskId: 't3', order: 2, reason: 'QA pass.' }],
      artifacts: [],
      risks: [...base.risks.slice(1), 'Mock drifts from the contract.'],
      planner: { kind: 'human' },
    }
    const changes = diffPlans(base, edited)
    expect(changes).toContainEqual({ field: 'summary', kind: 'changed', before: base.summary, after: 'Edited by a reviewer.' })
    expect(changes).toContainEqual(expect.objectContaining({ field: 'sequence', kind: 'changed', key: 't2' }))
    expect(changes).toContainEqual(expect.objectContaining({ field: 'sequence', kind: 'added', key: 't3' }))
    expect(changes).toContainEqual(expect.objectContaining({ field: 'artifacts', kind: 'removed', key: base.artifacts[0].name }))
    expect(changes).toContainEqual({ field: 'risks', kind: 'removed', key: base.risks[0] })
    expect(changes).toContainEqual({ field: 'risks', kind: 'added', key: 'Mock drifts from the contract.' })
    expect(changes).toContainEqual({ field: 'planner', kind: 'changed', before: { kind: 'template' }, after: { kind: 'human' } })
    expect(changes.filter((c) => c.field === 'sequence' && c.key === 't1')).toEqual([])
  })

  it('matches duplicate keys occurrence by occurrence', () => {
    const twice: Plan = { ...base, coordinationPoints: [...base.coordinationPoints, base.coordinationPoints[0]] }
    expect(diffPlans(base, twice)).toEqual([{ field: 'coordinationPoints', kind: 'added', key: `${base.coordinationPoints[0]}#2` }])
  })
})
