import { describe, expect, it } from 'vitest'
import type { EncodedEvent } from '../events/envelope'
import { asEventId, asPeerId } from '../ids'
import { PendingBuffer, type Pending } from './pending'

const entry = (id: string, author: string, missing: string[]): Pending => ({
  enc: { id: asEventId(id), bytes: new Uint8Array(), event: { author: asPeerId(author) } } as unknown as EncodedEvent,
  inviteOk: true,
  missing: new Set(missing.map(asEventId)),
})

describe('PendingBuffer', () => {
  it('enforces the global and the per-author cap', () => {
    const b = new PendingBuffer(3, 2)
    expect(b.park(entry('1', 'p', ['x']))).toBe(true)
    expect(b.park(entry('2', 'p', ['x']))).toBe(true)
    expect(b.park(entry('3', 'p', ['x']))).toBe(false)
    expect(b.park(entry('4', 'q', ['y']))).toBe(true)
    expect([b.size, b.countOf(asPeerId('p'))]).toEqual([3, 2])
  })

  it('hands out waiters once and forgets everything an unparked event waited on', () => {
    const b = new PendingBuffer(10, 10)
    const e = entry('1', 'p', ['x', 'y'])
    b.park(e)
    b.park(entry('2', 'p', ['1']))
    expect(b.missing().sort()).toEqual(['x', 'y'])
    expect(b.takeWaiters(asEventId('x')).map((p) => p.enc.id)).toEqual(['1'])
    expect(b.takeWaiters(asEventId('x'))).toEqual([])
    b.unpark(e)
    // 'y' is forgotten with the event that waited on it; '2' still waits on '1', now unparked.
    expect(b.missing()).toEqual(['1'])
    expect(b.has(asEventId('1'))).toBe(false)
    expect(b.countOf(asPeerId('p'))).toBe(1)
  })
})

describe('PendingBuffer when full', () => {
  it('evicts orphans of unknown authors first, and never members for them', () => {
    const known = new Set(['alice', 'bob'])
    const b = new PendingBuffer(3, 3, (a) => known.has(a))
    b.park(entry('m1', 'mallory', ['x']))
    b.park(entry('a1', 'alice', ['y']))
    b.park(entry('a2', 'alice', ['y']))
    // A member's event pushes out the unknown author's orphan.
    expect(b.park(entry('b1', 'bob', ['z']))).toBe(true)
    expect(b.has(asEventId('m1'))).toBe(false)
    // An unknown newcomer cannot evict members' events.
    expect(b.park(entry('t1', 'trudy', ['x']))).toBe(false)
    expect(b.evicted).toBe(1)
  })

  it('shares the rest fairly among members: the largest holder gives way', () => {
    const b = new PendingBuffer(3, 3)
    b.park(entry('a1', 'alice', ['x']))
    b.park(entry('a2', 'alice', ['x']))
    b.park(entry('b1', 'bob', ['y']))
    expect(b.park(entry('b2', 'bob', ['y']))).toBe(true)
    expect(b.has(asEventId('a1'))).toBe(false)
    // alice 1, bob 2: equal shares are not taken from, a larger one is.
    expect(b.park(entry('c1', 'carol', ['z']))).toBe(true)
    expect(b.has(asEventId('b1'))).toBe(false)
    expect([b.countOf(asPeerId('alice')), b.countOf(asPeerId('bob')), b.countOf(asPeerId('carol'))]).toEqual([1, 1, 1])
    expect(b.park(entry('a3', 'alice', ['x']))).toBe(false)
  })
})
