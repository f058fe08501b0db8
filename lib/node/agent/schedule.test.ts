/** The duty loop: kicks coalesce, runs never overlap, start at least the gap apart, and no kick is left without a run after it. */
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DutyLoop } from './schedule'

afterEach(() => void vi.useRealTimers())

/** Drives a loop through `kicks` (ms after start) with each run taking `runMs`; returns each run's start and end. */
async function drive(kicks: readonly number[], runMs: number, gapMs: number): Promise<Array<{ start: number; end: number }>> {
  vi.useFakeTimers()
  const t0 = Date.now()
  const now = () => Date.now() - t0
  const runs: Array<{ start: number; end: number }> = []
  const loop = new DutyLoop(
    async () => {
      const run = { start: now(), end: NaN }
      runs.push(run)
      await new Promise((r) => setTimeout(r, runMs))
      run.end = now()
    },
    60_000,
    (err) => {
      throw err
    },
    gapMs,
    now,
  )
  loop.start()
  let at = 0
  for (const k of [...kicks].sort((a, b) => a - b)) {
    await vi.advanceTimersByTimeAsync(k - at)
    at = k
    loop.kick()
  }
  await vi.advanceTimersByTimeAsync(gapMs + runMs * 3 + 10)
  loop.stop()
  return runs
}

describe('DutyLoop', () => {
  it('starts runs at least the gap apart, never two at once, and always runs after the last kick', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 400 }), async (kicks, runMs, gapMs) => {
        const runs = await drive(kicks, runMs, gapMs)
        for (let i = 1; i < runs.length; i++) {
          expect(runs[i].start - runs[i - 1].start).toBeGreaterThanOrEqual(gapMs)
          expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end)
        }
        // Every kick is answered by a run that starts no earlier than it: the change it announces is seen.
        const last = Math.max(...kicks)
        expect(runs.some((r) => r.start >= last)).toBe(true)
        expect(runs.every((r) => Number.isFinite(r.end))).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('runs a busy stream of changes a few times a second instead of once per change', async () => {
    // A change every 10 ms for 2 s, each run 2 ms: 201 runs without a gap, about 10 with 200 ms.
    const kicks = Array.from({ length: 200 }, (_, i) => 10 * (i + 1))
    const without = await drive(kicks, 2, 0)
    const withGap = await drive(kicks, 2, 200)
    expect(without.length).toBeGreaterThan(150)
    expect(withGap.length).toBeLessThanOrEqual(12)
  })

  it('runs at once after a quiet spell longer than the gap', async () => {
    const runs = await drive([1000], 5, 200)
    expect(runs.map((r) => r.start)).toEqual([0, 1000])
  })

  it('without an interval runs on kicks only', async () => {
    vi.useFakeTimers()
    let runs = 0
    const loop = new DutyLoop(async () => void runs++, null, () => {}, 200)
    loop.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(runs).toBe(1)
    loop.kick()
    await vi.advanceTimersByTimeAsync(300)
    loop.stop()
    expect(runs).toBe(2)
  })
})
