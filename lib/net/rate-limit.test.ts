import { describe, expect, it } from 'vitest'
import { PeerRateLimiter, TokenBucket } from './rate-limit'

const clock = () => {
  let t = 0
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate, and never saves more than the burst', () => {
    const c = clock()
    const b = new TokenBucket(10, 5, c.now)
    expect([1, 2, 3, 4, 5, 6].map(() => b.take())).toEqual([true, true, true, true, true, false])
    c.advance(100)
    expect(b.take()).toBe(true)
    expect(b.take()).toBe(false)
    c.advance(60_000)
    expect(Array.from({ length: 6 }, () => b.take()).filter(Boolean)).toHaveLength(5)
  })

  it('refuses nonsense rates', () => {
    expect(() => new TokenBucket(0, 5)).toThrow(RangeError)
  })
})

describe('PeerRateLimiter', () => {
  it('limits each peer on its own and counts refusals', () => {
    const c = clock()
    const l = new PeerRateLimiter({ messagesPerSec: 2, messageBurst: 2, bytesPerSec: 1000, byteBurst: 1000 }, c.now)
    expect([l.allow('flood', 10), l.allow('flood', 10), l.allow('flood', 10)]).toEqual([true, true, false])
    expect(l.allow('honest', 10)).toBe(true)
    expect(l.refused.get('flood')).toBe(1)
    expect(l.refused.get('honest')).toBeUndefined()
  })

  it('limits bytes as well as messages, and a refused message costs no tokens', () => {
    const c = clock()
    const l = new PeerRateLimiter({ messagesPerSec: 100, messageBurst: 100, bytesPerSec: 1000, byteBurst: 1000 }, c.now)
    expect(l.allow('big', 900)).toBe(true)
    expect(l.allow('big', 200)).toBe(false)
    expect(l.allow('big', 100)).toBe(true)
  })

  it('forgets the oldest peer beyond its cap', () => {
    const l = new PeerRateLimiter({ messagesPerSec: 1, messageBurst: 1, bytesPerSec: 10, byteBurst: 10 }, () => 0, 2)
    expect(l.allow('a', 1)).toBe(true)
    expect(l.allow('a', 1)).toBe(false)
    l.allow('b', 1)
    l.allow('c', 1)
    // 'a' was forgotten, so it starts with a full bucket again: the cap bounds memory, not fairness.
    expect(l.allow('a', 1)).toBe(true)
  })
})
