import { describe, expect, it } from 'vitest'
import { asEventId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { foldOrder, insertionIndex } from './order'

const ev = (lamport: number, id: string) => ({ id: asEventId(id), event: { lamport } }) as unknown as StoredEvent

describe('fold order', () => {
  it('sorts by Lamport clock, then id', () => {
    const xs = [ev(2, 'b'), ev(1, 'z'), ev(2, 'a'), ev(3, 'a')].sort(foldOrder)
    expect(xs.map((x) => `${x.event.lamport}${x.id}`)).toEqual(['1z', '2a', '2b', '3a'])
  })

  it('finds the insertion index by binary search', () => {
    const xs = [ev(1, 'a'), ev(2, 'a'), ev(2, 'c'), ev(4, 'a')]
    expect(insertionIndex(xs, ev(0, 'a'))).toBe(0)
    expect(insertionIndex(xs, ev(2, 'b'))).toBe(2)
    expect(insertionIndex(xs, ev(3, 'a'))).toBe(3)
    expect(insertionIndex(xs, ev(5, 'a'))).toBe(4)
  })
})
