import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { beatInterval, credibleInterval, MAX_BEAT_INTERVAL_MS, MS_PER_PEER } from './pace'

describe('beatInterval', () => {
  it('keeps the room interval in a small room and grows with the peers heard, so each peer receives about one beat per 50 ms', () => {
    expect(beatInterval(5000, 0)).toBe(5000)
    expect(beatInterval(5000, 99)).toBe(5000)
    expect(beatInterval(5000, 299)).toBe(15_000)
    expect(beatInterval(2000, 299)).toBe(16_000)
    expect(beatInterval(5000, 5000)).toBe(MAX_BEAT_INTERVAL_MS)
    expect(beatInterval(5000, 299, { msPerPeer: 0 })).toBe(5000)
  })

  it('is a whole number of room intervals, never under one nor over the cap, never shorter for more peers, and holds the beats a peer receives near its budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 20_000 }), fc.nat({ max: 5000 }), fc.nat({ max: 5000 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1000, max: 120_000 }), (base, a, b, msPerPeer, maxMs) => {
        const [few, many] = a <= b ? [a, b] : [b, a]
        const pace = { msPerPeer, maxMs }
        const every = beatInterval(base, many, pace)
        expect(every % base).toBe(0)
        expect(every).toBeGreaterThanOrEqual(base)
        expect(every).toBeLessThanOrEqual(Math.max(base, maxMs))
        expect(beatInterval(base, few, pace)).toBeLessThanOrEqual(every)
        // Below the cap, the room's beats reaching one peer (one per member per interval) stay
        // within one and a half times its budget, the rest being whole-interval rounding.
        if (every + base <= maxMs && msPerPeer > 0) expect(((many + 1) / every) * msPerPeer).toBeLessThanOrEqual(1.5)
      }),
      { numRuns: 500 },
    )
    expect(MS_PER_PEER).toBe(50)
  })
})

describe('credibleInterval', () => {
  it('believes an announced pace up to twice the one this peer would keep, and nothing when none is announced', () => {
    expect(credibleInterval(undefined, 2000, 10)).toBeUndefined()
    expect(credibleInterval(4000, 2000, 10)).toBe(4000)
    expect(credibleInterval(30_000, 2000, 10)).toBe(4000)
    expect(credibleInterval(30_000, 2000, 299)).toBe(30_000)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 100, max: 20_000 }), fc.nat({ max: 5000 }), (announced, base, peers) => {
        const believed = credibleInterval(announced, base, peers)!
        expect(believed).toBeLessThanOrEqual(announced)
        expect(believed).toBeLessThanOrEqual(2 * beatInterval(base, peers))
        if (announced <= 2 * beatInterval(base, peers)) expect(believed).toBe(announced)
      }),
      { numRuns: 300 },
    )
  })
})
