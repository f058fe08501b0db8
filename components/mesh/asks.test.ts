import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ActivityItem } from '@/lib/core/state/activity'
import { asksForAHuman } from './asks'

const kinds: Array<ActivityItem['kind']> = ['task.claimed', 'session.opened', 'plan.proposed', 'session.message', 'session.escalated', 'plan.approved', 'session.resolved']

describe('asksForAHuman', () => {
  it('is true exactly when the feed holds an escalation or an approval it has not seen', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...kinds), { maxLength: 12 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 30 }), (batches, size) => {
        const check = asksForAHuman()
        // The room's events in the order stored; each check sees the newest `size`, newest first.
        const log: Array<{ id: string; kind: ActivityItem['kind'] }> = []
        let shown = new Set<string>()
        for (const batch of batches) {
          for (const kind of batch) log.push({ id: `e${log.length}`, kind })
          const recent = log.slice(-size).reverse()
          const fresh = recent.filter((e) => !shown.has(e.id))
          expect(check(recent)).toBe(fresh.some((e) => e.kind === 'session.escalated' || e.kind === 'plan.approved'))
          shown = new Set(recent.map((e) => e.id))
        }
      }),
      { numRuns: 200 },
    )
  })
})
