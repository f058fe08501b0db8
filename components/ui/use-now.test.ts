import { describe, expect, it } from 'vitest'
import { ago } from './use-now'

describe('ago', () => {
  it('reads like a person would say it, up to days', () => {
    const now = 1_000_000_000
    expect(ago(now, now)).toBe('just now')
    expect(ago(now - 30_000, now)).toBe('30 s ago')
    expect(ago(now - 10 * 60_000, now)).toBe('10 min ago')
    expect(ago(now - 3 * 3600_000, now)).toBe('3 h ago')
    expect(ago(now - 4 * 86400_000, now)).toBe('4 d ago')
  })
})
