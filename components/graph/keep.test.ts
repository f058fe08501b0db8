import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keepEqual, sameData } from './keep'

const item = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e'), n: fc.integer({ min: 0, max: 3 }), style: fc.record({ w: fc.constantFrom(1, 2), dash: fc.option(fc.constant('5 4'), { nil: undefined }) }), tags: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }) })
const items = fc.uniqueArray(item, { selector: (x) => x.id, maxLength: 5 })
const clone = <T>(x: T): T => structuredClone(x)

describe('sameData', () => {
  it('is equality of the JSON the values stand for', () => {
    fc.assert(
      fc.property(item, item, (a, b) => {
        expect(sameData(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b) && Object.keys(a.style).length === Object.keys(b.style).length)
      }),
    )
  })

  it('tells an absent member from one set to undefined, and an array from an object', () => {
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false)
    expect(sameData([1], { 0: 1 })).toBe(false)
  })
})

describe('keepEqual', () => {
  it('returns items equal to the new ones, the old object wherever one was equal, and the old array when all were', () => {
    fc.assert(
      fc.property(items, items, fc.boolean(), (prev, changed, same) => {
        const next = same ? prev.map(clone) : changed
        const out = keepEqual(prev, next)
        expect(out.map((x) => JSON.stringify(x))).toEqual(next.map((x) => JSON.stringify(x)))
        out.forEach((x, i) => {
          const old = prev.find((p) => p.id === x.id)
          expect(x === old).toBe(old !== undefined && sameData(old, next[i]))
        })
        if (same) expect(out).toBe(prev)
        else expect(out === prev).toBe(prev.length === next.length && next.every((x, i) => sameData(prev[i], x)))
      }),
    )
  })
})
