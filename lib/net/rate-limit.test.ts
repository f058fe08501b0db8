import { describe, expect, it } from 'vitest'
import { AuthorBudget, PeerRateLimiter, TokenBucket } from './rate-limit'

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

describe('AuthorBudget', () => {
  it('is only read when asked and only spent by charges, and a debt is paid back in full', () => {
    const c = clock()
    const b = new AuthorBudget({ perSec: 10, burst: 3 }, c.now)
    // Asking never spends: a forged claim that is then refused costs the named author nothing.
    for (let i = 0; i < 100; i++) expect(b.allows('alice', false)).toBe(true)
    b.charge('alice', 3)
    expect(b.allows('alice', false)).toBe(false)
    expect(b.refused.get('alice')).toBe(1)
    // Concurrent verifications may overshoot (100 events admitted over a budget of 3): the whole
    // debt is paid back at 10/s before anything else passes — nothing of it is forgiven.
    b.charge('alice', 100)
    expect(b.overBudget('alice')).toBe(true)
    c.advance(1500)
    expect(b.allows('alice', false)).toBe(false)
    c.advance(8000)
    expect(b.allows('alice', false)).toBe(false)
    c.advance(1200)
    expect(b.allows('alice', false)).toBe(true)
    expect(b.overBudget('alice')).toBe(false)
    expect(b.allows('bob', false)).toBe(true)
  })

  it('gives events forwarded by another peer one burst of slack, and counts planned events', () => {
    const c = clock()
    const b = new AuthorBudget({ perSec: 10, burst: 3 }, c.now)
    b.charge('alice', 3)
    expect(b.allows('alice', false)).toBe(false)
    expect(b.allows('alice', true)).toBe(true)
    expect(b.allows('alice', true, 2)).toBe(true)
    expect(b.allows('alice', true, 3)).toBe(false)
  })

  it('forgets full budgets first when it must forget, so a flooder keeps its debt', () => {
    const c = clock()
    const b = new AuthorBudget({ perSec: 1, burst: 2 }, c.now, 3)
    b.charge('flooder', 10)
    b.charge('a')
    b.charge('b')
    c.advance(2000)
    b.charge('c')
    b.charge('d')
    expect(b.overBudget('flooder')).toBe(true)
  })

  it('when no budget is full, forgets the oldest tenth at once, not one per new author', () => {
    const c = clock()
    const b = new AuthorBudget({ perSec: 1, burst: 2 }, c.now, 20)
    for (let i = 0; i < 20; i++) b.charge(`a${i}`, 5)
    b.charge('new')
    // a0 and a1 (the oldest tenth) are forgotten, so they have a full budget again; a2 keeps its debt.
    expect(b.overBudget('a0')).toBe(false)
    expect(b.overBudget('a1')).toBe(false)
    expect(b.overBudget('a2')).toBe(true)
    expect(b.overBudget('a19')).toBe(true)
  })
})
