import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Batch } from './batch'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})

afterEach(() => {
  vi.useRealTimers()
})

/** Waits at each of `arrivals` (ms from 0, ascending) and returns when each waiter was released. */
async function releases(windowMs: number, arrivals: readonly number[]): Promise<number[]> {
  const batch = new Batch(windowMs)
  const out: number[] = []
  let t = 0
  for (const [i, at] of arrivals.entries()) {
    await vi.advanceTimersByTimeAsync(at - t)
    t = at
    void batch.wait().then(() => (out[i] = Date.now()))
  }
  await vi.advanceTimersByTimeAsync(windowMs)
  return out
}

describe('Batch', () => {
  it('releases the waiters of a window together, one window after the first of them', async () => {
    vi.setSystemTime(0)
    expect(await releases(250, [0, 10, 240, 260, 600])).toEqual([250, 250, 250, 510, 850])
  })

  it('every waiter goes within one window of arriving, and waiters are released in at most one task per window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 60 }), async (windowMs, times) => {
        vi.setSystemTime(0)
        const arrivals = [...times].sort((a, b) => a - b)
        const out = await releases(windowMs, arrivals)
        for (const [i, at] of arrivals.entries()) expect(out[i] - at).toBeGreaterThanOrEqual(0), expect(out[i] - at).toBeLessThanOrEqual(windowMs)
        // Distinct release times are at least a window apart: no more writes than windows.
        const distinct = [...new Set(out)]
        for (let i = 1; i < distinct.length; i++) expect(distinct[i] - distinct[i - 1]).toBeGreaterThanOrEqual(windowMs)
      }),
      { numRuns: 200 },
    )
  })

  it('release() lets everyone waiting go at once (a stopping service leaves no verdict hanging)', async () => {
    const batch = new Batch(10_000)
    const done: number[] = []
    for (let i = 0; i < 3; i++) void batch.wait().then(() => done.push(i))
    expect(batch.pending).toBe(3)
    batch.release()
    await Promise.resolve()
    expect(done).toEqual([0, 1, 2])
    expect(batch.pending).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
