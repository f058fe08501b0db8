import { describe, expect, it } from 'vitest'
import type { Plan } from '@/lib/core/planner/plan'
import { changeCount, planDiff } from './plan-diff-model'

const plan = (summary: string, points: string[]): Plan => ({
  summary,
  sequence: [{ taskId: 'a', order: 1, reason: 'it defines the contract' }, { taskId: 'b', order: 2, reason: 'it consumes the contract' }],
  artifacts: [],
  coordinationPoints: points,
  risks: ['late change'],
  successCriteria: ['both ship'],
  planner: { kind: 'template' },
})

describe('planDiff', () => {
  it('marks only the words that changed, and leaves unchanged fields out', () => {
    const before = plan('Ship the auth API before the login page (version 2, after 1 concern)', ['Agree on the token format', 'Share the error codes'])
    const after = plan('Ship the auth API before the login page (version 3, after 2 concerns)', ['Agree on the token format', 'Publish the error codes'])
    const d = planDiff(before, after)
    expect(d.map((s) => s.field)).toEqual(['summary', 'coordinationPoints'])
    const marked = (i: number) => d[i].lines.flatMap((l) => l.parts.filter((p) => p.op !== 'same').map((p) => `${p.op}:${p.text}`))
    expect(marked(0)).toEqual(['del:2', 'add:3', 'del:1 concern', 'add:2 concerns'])
    expect(marked(1)).toEqual(['del:Share', 'add:Publish'])
    expect(d[1].lines).toHaveLength(1)
    expect(changeCount(d)).toEqual({ added: 4, removed: 4 })
  })

  it('shows added and removed list items whole, and nothing for identical plans', () => {
    const before = plan('same', ['one'])
    expect(planDiff(before, plan('same', ['one']))).toEqual([])
    const d = planDiff(before, plan('same', ['one', 'two']))
    expect(d).toEqual([{ field: 'coordinationPoints', label: 'Coordination points', lines: [{ kind: 'added', parts: [{ text: 'two', op: 'add' }] }] }])
  })
})
