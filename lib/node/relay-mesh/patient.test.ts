/** The rounds of a patient first start: time-outs grow to a cap, pauses double to a cap with jitter. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { roundPlan, type Patience } from './patient'

const patience = fc.record({
  totalMs: fc.integer({ min: 1000, max: 600_000 }),
  firstTryMs: fc.integer({ min: 100, max: 10_000 }),
  maxTryMs: fc.integer({ min: 10_000, max: 60_000 }),
  firstPauseMs: fc.integer({ min: 10, max: 2000 }),
  maxPauseMs: fc.integer({ min: 2000, max: 30_000 }),
}) as fc.Arbitrary<Required<Omit<Patience, 'random'>>>

describe('roundPlan', () => {
  it('grows each time-out to its cap and draws each pause between half and all of its capped doubling', () => {
    fc.assert(
      fc.property(patience, fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, i, r) => {
        const full = { ...p, random: () => r }
        const now = roundPlan(i, full, r)
        const next = roundPlan(i + 1, full, r)
        expect(now.tryMs).toBeGreaterThanOrEqual(Math.min(p.firstTryMs, p.maxTryMs))
        expect(now.tryMs).toBeLessThanOrEqual(p.maxTryMs)
        expect(next.tryMs).toBeGreaterThanOrEqual(now.tryMs)
        const cap = Math.min(p.maxPauseMs, p.firstPauseMs * 2 ** i)
        expect(now.pauseMs).toBeGreaterThanOrEqual(cap / 2)
        expect(now.pauseMs).toBeLessThanOrEqual(cap)
        expect(next.pauseMs).toBeGreaterThanOrEqual(now.pauseMs)
      }),
    )
  })

  it('spreads peers that failed together: different draws give different pauses', () => {
    const p = { totalMs: 60_000, firstTryMs: 5000, maxTryMs: 20_000, firstPauseMs: 500, maxPauseMs: 8000, random: Math.random }
    expect(roundPlan(3, p, 0).pauseMs).toBe(2000)
    expect(roundPlan(3, p, 0.5).pauseMs).toBe(3000)
  })
})
