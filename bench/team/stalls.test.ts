import { describe, expect, it } from 'vitest'
import { samplesWithin } from './stalls'

describe('samplesWithin', () => {
  // A profile starting at 1,000 ms on the monotonic clock (µs in the file), a sample every 10 ms:
  // sample i is taken at 1,000 + 10 (i + 1) ms.
  const profile = { startTime: 1_000_000, timeDeltas: Array(20).fill(10_000) }

  it('keeps the samples taken inside the stall, and only those', () => {
    const [from, to] = samplesWithin(profile, 1_035, 1_075)
    const times = Array.from({ length: to - from }, (_, k) => 1_000 + 10 * (from + k + 1))
    expect(times).toEqual([1_040, 1_050, 1_060, 1_070])
  })

  it('finds nothing for a stall before the profile began or after it ended', () => {
    const before = samplesWithin(profile, 900, 990)
    expect(before[1] - before[0]).toBe(0)
    const after = samplesWithin(profile, 1_300, 1_400)
    expect(after[1] - after[0]).toBe(0)
  })
})
