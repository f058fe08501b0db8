import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { coalesced } from './coalesce'

const turn = () => new Promise<void>((r) => setImmediate(r))

describe('coalesced', () => {
  it('applies only the last value of each task, on a later macrotask', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer(), { maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (tasks) => {
        const applied: number[] = []
        const c = coalesced<number>((v) => applied.push(v))
        const expected: number[] = []
        for (const values of tasks) {
          for (const v of values) c.push(v)
          // Nothing is applied inside the task that pushed.
          expect(applied.length).toBe(expected.length)
          if (values.length > 0) expected.push(values[values.length - 1])
          await turn()
          await turn()
        }
        expect(applied).toEqual(expected)
      }),
      { numRuns: 50 },
    )
  })

  it('drops what waits when cancelled, and everything after', async () => {
    const applied: number[] = []
    const c = coalesced<number>((v) => applied.push(v))
    c.push(1)
    c.cancel()
    c.push(2)
    await turn()
    await turn()
    expect(applied).toEqual([])
  })
})
