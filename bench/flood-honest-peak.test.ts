import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { neededBurst, peakIn } from './flood-honest-peak'

/** The token bucket of AuthorBudget, replayed: true if every event at `times` finds a token. */
function admitsAll(times: readonly number[], perSec: number, burst: number): boolean {
  let tokens = burst
  let last = times[0] ?? 0
  for (const t of times) {
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSec)
    last = t
    if (tokens < 1 - 1e-9) return false
    tokens -= 1
  }
  return true
}

const sorted = fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 200 }).map((xs) => xs.sort((a, b) => a - b))

describe('neededBurst', () => {
  it('is the smallest bucket that admits every event', () => {
    fc.assert(
      fc.property(sorted, fc.integer({ min: 1, max: 500 }), (times, perSec) => {
        const b = Math.max(1, Math.ceil(neededBurst(times, perSec) - 1e-9))
        expect(admitsAll(times, perSec, b)).toBe(true)
        if (b > 1) expect(admitsAll(times, perSec, b - 1)).toBe(false)
      }),
    )
  })

  it('counts simultaneous events one by one', () => {
    expect(neededBurst([5, 5, 5], 100)).toBe(3)
    expect(neededBurst([0, 1000, 2000], 1)).toBeCloseTo(1)
  })
})

describe('peakIn', () => {
  it('finds the densest window', () => {
    expect(peakIn([0, 100, 900, 1000, 1500], 1000)).toBe(3)
    expect(peakIn([], 1000)).toBe(0)
  })
})
