import { describe, expect, it } from 'vitest'
import { combineRuns } from './runs'
import type { BenchResult } from './types'

const row = (ratio: number, extra: Partial<BenchResult> = {}): BenchResult => ({
  name: 'x',
  value: ratio * 10,
  unit: 'ms',
  ratio,
  goal: '≤ 2×',
  met: ratio <= 2,
  note: `run with ratio ${ratio}`,
  ...extra,
})

describe('combineRuns', () => {
  it('keeps the median run and shows every run’s spread', () => {
    const [r] = combineRuns([[row(1.9)], [row(1.2)], [row(3)]])
    expect(r.ratio).toBe(1.9)
    expect(r.value).toBe(19)
    expect(r.spread).toEqual({ runs: 3, value: [12, 30], ratio: [1.2, 3], met: 2 })
    expect(r.met).toBe(true)
    expect(r.note).toMatch(/^median of 3 runs: value 12–30 ms, ratio 1.2–3×, goal met in 2 of 3; run with ratio 1.9$/)
  })

  it('a goal met by the median but by only one run of three is not met', () => {
    // The median (1.9) meets ≤ 2 but the two others do not: 1 of 3.
    const [r] = combineRuns([[row(1.9)], [row(2.5, { met: false })], [row(1.5, { met: false })]])
    expect(r.ratio).toBe(1.9)
    expect(r.met).toBe(false)
    expect(r.spread?.met).toBe(1)
  })

  it('a goal the median misses is not met, whatever the best run did', () => {
    const [r] = combineRuns([[row(1)], [row(2.5)], [row(2.2)]])
    expect(r.ratio).toBe(2.2)
    expect(r.met).toBe(false)
  })

  it('judges absolute goals on the value, and keeps rows without a goal goal-less', () => {
    const ui = (value: number, ratio: number): BenchResult => ({ name: 'ui', value, unit: 'ms', ratio, goal: 'no task > 200 ms', met: value <= 200, judged: 'value' })
    const [u] = combineRuns([[ui(150, 5)], [ui(90, 6)], [ui(400, 4)]])
    expect(u.value).toBe(150)
    expect(u.met).toBe(true)
    const [n] = combineRuns([[{ name: 'n', value: 1, unit: 'B' }], [{ name: 'n', value: 3, unit: 'B' }], [{ name: 'n', value: 2, unit: 'B' }]])
    expect(n.value).toBe(2)
    expect(n.met).toBeUndefined()
    expect(n.spread).toEqual({ runs: 3, value: [1, 3] })
  })

  it('one run is passed through unchanged', () => {
    const only = row(1.5)
    expect(combineRuns([[only]])).toEqual([only])
  })
})
