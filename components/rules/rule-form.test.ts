import { describe, expect, it } from 'vitest'
import { task } from '@/lib/core/testing/tasks'
import { EMPTY_RULE, previewRule, ruleFromFields } from './rule-form'

describe('custom rule form', () => {
  it('explains invalid fields instead of signing a rule the room would refuse', () => {
    const r = ruleFromFields({ ...EMPTY_RULE, name: '1bad name', keywords: '' })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.errors.name).toMatch(/letters, digits/)
      expect(r.errors.keywords).toBeDefined()
    }
    expect(ruleFromFields({ ...EMPTY_RULE, name: 'Flags', keywords: 'flag', requiresA: 'define' })).toEqual({ ok: false, errors: { requiresB: 'give terms for both sides, or neither' } })
  })

  it('previews which current tasks the rule would link, across repositories only', () => {
    const r = ruleFromFields({ ...EMPTY_RULE, name: 'Feature_Flags', description: 'flag producers and readers', keywords: 'feature flag' })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const tasks = [
      task('t1', 'backend', 'Add feature flag for checkout'),
      task('t2', 'web', 'Read the feature flag in checkout page'),
      task('t3', 'backend', 'Another feature flag cleanup'),
      task('t4', 'docs', 'Fix typo in README'),
    ]
    const found = previewRule(r.rule, tasks)
    expect(found.map((d) => [d.task1, d.task2])).toEqual(expect.arrayContaining([['t1', 't2'], ['t2', 't3']]))
    expect(found.every((d) => d.relationship === 'Feature_Flags')).toBe(true)
    expect(found.some((d) => d.task1 === 't4' || d.task2 === 't4')).toBe(false)
    expect(found.some((d) => d.task1 === 't1' && d.task2 === 't3')).toBe(false)
  })
})
