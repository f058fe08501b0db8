import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AdaptiveGrace } from './grace'

describe('adaptive grace', () => {
  it('is the base until something was observed, and never below the base or above the cap', () => {
    expect(new AdaptiveGrace(4000).ms).toBe(4000)
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600_000 }), { maxLength: 50 }), (samples) => {
        const g = new AdaptiveGrace(4000, 32_000)
        for (const s of samples) g.sample(s)
        expect(g.ms).toBeGreaterThanOrEqual(4000)
        expect(g.ms).toBeLessThanOrEqual(32_000)
      }),
    )
  })

  it('grows when deliveries take seconds and comes back once they are fast again', () => {
    const g = new AdaptiveGrace(4000, 32_000)
    for (let i = 0; i < 10; i++) g.sample(i % 2 ? 3000 : 6000)
    const slow = g.ms
    expect(slow).toBeGreaterThan(8000)
    for (let i = 0; i < 40; i++) g.sample(150)
    expect(g.ms).toBe(4000)
    expect(slow).toBeLessThanOrEqual(32_000)
  })

  it('gives a peer whose beats arrive the cap, or the delivery delay while deliveries take longer than the cap', () => {
    const g = new AdaptiveGrace(4000, 32_000)
    expect(g.longMs).toBe(32_000)
    for (let i = 0; i < 10; i++) g.sample(3000)
    expect(g.longMs).toBe(32_000)
    // Deliveries of 40–50 s (a room on an overloaded machine): a live elected peer's event is
    // still on its way at 32 s, so taking over then would copy it.
    for (let i = 0; i < 20; i++) g.sample(i % 2 ? 40_000 : 50_000)
    expect(g.longMs).toBeGreaterThan(50_000)
    expect(g.longMs).toBeLessThanOrEqual(128_000)
    expect(g.ms).toBe(32_000)
    for (let i = 0; i < 60; i++) g.sample(200)
    expect(g.longMs).toBe(32_000)
  })

  it('ignores nonsense samples', () => {
    const g = new AdaptiveGrace(1000)
    g.sample(Number.NaN)
    g.sample(-5)
    expect(g.ms).toBe(1000)
  })
})
