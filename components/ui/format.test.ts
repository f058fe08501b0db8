import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDate, formatDuration } from './format'

describe('formatDuration', () => {
  it('shows the two largest units and never rounds a short session to zero minutes', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(4_200)).toBe('4 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(formatDuration(120_000)).toBe('2 min')
    expect(formatDuration(3600_000 + 20 * 60_000 + 5_000)).toBe('1 h 20 min')
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3 d 4 h')
    expect(formatDuration(-5)).toBe('0 s')
  })
})

describe('formatDate', () => {
  it('reads as the locale’s own date and time of that instant, at any instant', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
      expect(formatDate(ms)).toBe(new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }))
    }))
  })
})
