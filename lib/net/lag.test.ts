import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Lag } from './lag'

/** A lag gauge on a hand-driven clock. */
function gauge() {
  let t = 1_000_000
  const lag = new Lag(() => t)
  return {
    lag,
    advance: (ms: number) => (t += ms),
    /** Stores an event stamped `age` ms ago. */
    store: (age: number) => lag.note(t - age),
  }
}

describe('Lag', () => {
  it('a process storing old events seconds apart stays behind between them', () => {
    const g = gauge()
    g.store(30_000)
    g.advance(5000)
    expect(g.lag.ms).toBe(30_000)
    g.store(28_000)
    g.advance(9000)
    expect(g.lag.ms).toBe(30_000)
    // 31 s after the first, 26 s after the second: only the second still counts.
    g.advance(17_000)
    expect(g.lag.ms).toBe(28_000)
  })

  it('falls once the process has gone on storing fresh events, not after one', () => {
    const g = gauge()
    g.store(30_000)
    for (let i = 0; i < 10; i++) g.advance(50), g.store(200)
    expect(g.lag.ms).toBe(30_000)
    for (let i = 0; i < 100; i++) g.advance(50), g.store(200)
    expect(g.lag.ms).toBe(200)
  })

  it('comes back to 0 in a quiet room once the last events are as old again as they were behind', () => {
    const g = gauge()
    g.store(4000)
    g.advance(3999)
    expect(g.lag.ms).toBe(4000)
    g.advance(2)
    expect(g.lag.ms).toBe(0)
  })

  it('a sync round that found nothing missing forgets what was stored before it began', () => {
    const g = gauge()
    g.store(40_000)
    g.advance(1000)
    const roundStart = 1_001_000
    g.advance(500)
    g.store(9000)
    g.lag.caughtUp(roundStart)
    expect(g.lag.ms).toBe(9000)
    g.lag.caughtUp(roundStart + 500)
    expect(g.lag.ms).toBe(0)
  })

  it('caps what an author clock can claim at a minute', () => {
    const g = gauge()
    g.store(3_600_000)
    expect(g.lag.ms).toBe(60_000)
    g.store(-5000)
    expect(g.lag.ms).toBe(60_000)
  })

  it('never reads below A while every event stored is at least A old and they come less than A apart', () => {
    let runs = 0
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 60_000 }),
        fc.array(fc.record({ gap: fc.double({ min: 0, max: 0.999, noNaN: true }), extra: fc.nat(30_000), readAt: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 200 }),
        (a, steps) => {
          runs++
          const g = gauge()
          g.store(a)
          for (const s of steps) {
            const gap = Math.floor(s.gap * a)
            const read = Math.floor(s.readAt * gap)
            g.advance(read)
            expect(g.lag.ms).toBeGreaterThanOrEqual(a)
            g.advance(gap - read)
            g.store(a + s.extra)
          }
        },
      ),
    )
    expect(runs).toBeGreaterThan(50)
  })
})
