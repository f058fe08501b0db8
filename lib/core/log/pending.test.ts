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
    expect(b.park(entry('5', 'r', ['y']))).toBe(false)
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
