/**
 * The default per-author budget (ADR 0105) against what it is for, searched with fast-check: an
 * honest author that writes at most a second's rate within any second is never refused, and a
 * flooding member makes a peer take in at most two seconds' worth of events within any second
 * where it enters (three through a forwarder's slack) — whatever the flood's timing.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AuthorBudget, DEFAULT_AUTHOR_LIMITS } from './rate-limit'

const { perSec } = DEFAULT_AUTHOR_LIMITS

/** Arrival times (ms, ascending) that the default budget lets through, checked and charged one by one as the gossip validator does. */
function admitted(times: readonly number[], forwarded: boolean): number[] {
  let now = 0
  const budget = new AuthorBudget(DEFAULT_AUTHOR_LIMITS, () => now)
  const out: number[] = []
  for (const t of times) {
    now = t
    if (!budget.allows('author', forwarded)) continue
    budget.charge('author')
    out.push(t)
  }
  return out
}

/** The most of `times` (ascending) within any window shorter than 1 s. */
function peakPerSecond(times: readonly number[]): number {
  let best = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= 1000) i++
    best = Math.max(best, j - i + 1)
  }
  return best
}

/** Events at arbitrary times, in bursts of any size (a backlog arrives in one socket read). */
const bursts = fc
  .array(fc.record({ at: fc.integer({ min: 0, max: 10_000 }), n: fc.integer({ min: 1, max: 1_000 }) }), { minLength: 1, maxLength: 20 })
  .map((bs) => bs.flatMap(({ at, n }) => Array.from({ length: n }, () => at)).sort((a, b) => a - b))

/** Keeps the times an author writing at most `most` events within any second would produce. */
function atMostPerSecond(times: readonly number[], most: number): number[] {
  const kept: number[] = []
  for (const t of times) if (kept.length < most || t - kept[kept.length - most] >= 1000) kept.push(t)
  return kept
}

describe('the default author budget', () => {
  it('never refuses an author that writes at most its rate within any second, at the first hop', () => {
    fc.assert(
      fc.property(bursts, fc.integer({ min: 1, max: perSec }), (times, most) => {
        const honest = atMostPerSecond(times, most)
        expect(peakPerSecond(honest)).toBeLessThanOrEqual(most)
        expect(admitted(honest, false)).toHaveLength(honest.length)
      }),
    )
  })

  it('lets a flooding member make a peer take in at most two seconds of its rate within any second where it enters, three through a forwarder', () => {
    fc.assert(
      fc.property(bursts, (times) => {
        expect(peakPerSecond(admitted(times, false))).toBeLessThanOrEqual(2 * perSec)
        expect(peakPerSecond(admitted(times, true))).toBeLessThanOrEqual(3 * perSec)
      }),
    )
  })

  it('takes in a steady flood at its rate after the first second', () => {
    // 1,000 events a second for 10 s, one every millisecond.
    const flood = Array.from({ length: 10_000 }, (_, i) => i)
    const got = admitted(flood, false)
    expect(got.filter((t) => t < 1000).length).toBeLessThanOrEqual(2 * perSec)
    expect(got.length).toBeLessThanOrEqual(DEFAULT_AUTHOR_LIMITS.burst + perSec * 10)
    expect(got.length).toBeGreaterThanOrEqual(perSec * 10)
  })
})
