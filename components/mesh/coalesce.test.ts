import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { coalesced } from './coalesce'

const turn = () => new Promise<void>((r) => setImmediate(r))
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await turn()
}

describe('coalesced', () => {
  it('applies only the last value of each task, on a later macrotask', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer(), { maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (tasks) => {
        const applied: number[] = []
        // The whole thread: no pacing between these tasks.
        const c = coalesced<number>((v) => applied.push(v), { share: 1 })
        const expected: number[] = []
        for (const values of tasks) {
          for (const v of values) c.push(v)
          // Nothing is applied inside the task that pushed.
          expect(applied.length).toBe(expected.length)
          if (values.length > 0) expected.push(values[values.length - 1])
          // The apply, and the two turns that measure it.
          await turns(4)
        }
        expect(applied).toEqual(expected)
      }),
      { numRuns: 50 },
    )
  })

  /**
   * Pushes 0, 1, … with the virtual clock moved by each step's gap first, `between` turns apart;
   * each apply costs its value's `cost`. Time that passes before an apply's next turn counts as
   * its cost, as other tasks' time does in a tab.
   */
  async function paced(steps: ReadonlyArray<{ gap: number; cost: number }>, share: number, between = 1, maxGapMs = Infinity) {
    let t = 0
    const pushedAt: number[] = []
    const applies: Array<{ at: number; value: number }> = []
    const c = coalesced<number>(
      (v) => {
        applies.push({ at: t, value: v })
        t += steps[v].cost
      },
      { share, maxGapMs, now: () => t, hidden: () => false, wait: async (ms) => ((t += Math.max(0, ms)), await turn()) },
    )
    for (const [i, s] of steps.entries()) {
      t += s.gap
      pushedAt.push(t)
      c.push(i)
      await turns(between)
    }
    await turns(12)
    return { applies, pushedAt }
  }

  const step = fc.record({ gap: fc.integer({ min: 0, max: 50 }), cost: fc.integer({ min: 0, max: 40 }) })

  it('gives the applies at most their share of the time, and applies the latest value in the end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), fc.constantFrom(0.1, 0.2, 0.5), async (steps, share) => {
        const { applies } = await paced(steps, share)
        expect(applies.at(-1)?.value).toBe(steps.length - 1)
        for (let k = 1; k < applies.length; k++) {
          expect(applies[k].value).toBeGreaterThan(applies[k - 1].value)
          expect(applies[k].at - applies[k - 1].at).toBeGreaterThanOrEqual(steps[applies[k - 1].value].cost / share)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('waits no more than the longest gap after an apply ends, whatever the apply cost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 20 }), fc.integer({ min: 0, max: 100 }), async (steps, maxGap) => {
        const { applies, pushedAt } = await paced(steps, 0.01, 4, maxGap)
        expect(applies.at(-1)?.value).toBe(steps.length - 1)
        for (let k = 1; k < applies.length; k++) {
          const ended = applies[k - 1].at + steps[applies[k - 1].value].cost
          expect(applies[k].at).toBeLessThanOrEqual(Math.max(ended + maxGap, pushedAt[applies[k].value]))
        }
      }),
      { numRuns: 60 },
    )
  })

  it('applies a change that comes after a quiet spell without waiting', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step.map((s) => ({ ...s, gap: s.gap + 1000 })), { minLength: 1, maxLength: 8 }), async (steps) => {
        const { applies, pushedAt } = await paced(steps, 0.1, 4)
        expect(applies).toEqual(pushedAt.map((at, value) => ({ at, value })))
      }),
      { numRuns: 30 },
    )
  })

  it('waits at least the hidden gap between applies while the document is hidden', async () => {
    let t = 0
    const at: number[] = []
    const c = coalesced<number>(() => at.push(t), { now: () => t, hidden: () => true, hiddenGapMs: 1000, wait: async (ms) => ((t += Math.max(0, ms)), await turn()) })
    for (let i = 0; i < 5; i++) {
      t += 10
      c.push(i)
      await turns(3)
    }
    await turns(12)
    expect(at.length).toBeGreaterThan(1)
    for (let k = 1; k < at.length; k++) expect(at[k] - at[k - 1]).toBeGreaterThanOrEqual(1000)
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

  it('goes on applying after an apply throws, and reports what it threw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (throws) => {
        const applied: number[] = []
        const errors: unknown[] = []
        const c = coalesced<number>(
          (v) => {
            if (throws[v]) throw new Error(`apply ${v}`)
            applied.push(v)
          },
          { share: 1, onError: (err) => errors.push(err) },
        )
        for (const i of throws.keys()) {
          c.push(i)
          await turns(4)
        }
        // Every value whose apply did not throw is applied, in order; each throw is reported once.
        expect(applied).toEqual([...throws.keys()].filter((i) => !throws[i]))
        expect(errors.map((e) => (e as Error).message)).toEqual([...throws.keys()].filter((i) => throws[i]).map((i) => `apply ${i}`))
      }),
      { numRuns: 40 },
    )
  })
})


describe('coalesced, with urgent values', () => {
  /**
   * Pushes 0, 1, … on a virtual clock with real turns: a wait of `ms` > 0 is a timer that the
   * clock reaches, a wait of 0 the next turn. Each apply costs its value's `cost` (the clock moves
   * during the apply); the values `urgent` names must not wait for the pacing.
   */
  async function run(steps: ReadonlyArray<{ gap: number; cost: number; urgent: boolean }>, hidden: boolean) {
    let t = 0
    const timers: Array<{ at: number; fire: () => void }> = []
    const pushedAt: number[] = []
    const applies: Array<{ at: number; value: number }> = []
    let asked = 0
    const c = coalesced<number>(
      (v) => {
        applies.push({ at: t, value: v })
        t += steps[v].cost
      },
      {
        now: () => t,
        hidden: () => hidden,
        urgent: (v) => (asked++, steps.slice(0, v + 1).some((s, i) => s.urgent && !applies.some((a) => a.value >= i))),
        wait: (ms) => (ms <= 0 ? turn() : new Promise<void>((fire) => void timers.push({ at: t + ms, fire }))),
      },
    )
    /** Moves the clock to `to`, firing the timers due on the way, each followed by its turns. */
    const advance = async (to: number) => {
      for (;;) {
        timers.sort((a, b) => a.at - b.at)
        if (timers.length === 0 || timers[0].at > to) break
        const next = timers.shift()!
        t = Math.max(t, next.at)
        next.fire()
        await turns(8)
      }
      t = Math.max(t, to)
    }
    for (const [i, s] of steps.entries()) {
      await advance(t + s.gap)
      pushedAt.push(t)
      c.push(i)
      await turns(8)
    }
    await advance(Infinity)
    await turns(8)
    return { applies, pushedAt, asked }
  }

  const urgentStep = fc.record({ gap: fc.integer({ min: 0, max: 300 }), cost: fc.integer({ min: 0, max: 200 }), urgent: fc.boolean() })

  it('applies an urgent value without waiting for the pacing, visible or hidden, and keeps the pacing for the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(urgentStep, { minLength: 1, maxLength: 12 }), fc.boolean(), async (steps, hidden) => {
        const { applies, pushedAt, asked } = await run(steps, hidden)
        expect(applies.at(-1)?.value).toBe(steps.length - 1)
        for (let k = 1; k < applies.length; k++) expect(applies[k].value).toBeGreaterThan(applies[k - 1].value)
        // No time passes between an urgent push and the apply that shows it: no wait of the
        // pacing, only the turns of an apply already under way.
        for (const [i, s] of steps.entries()) if (s.urgent) expect(applies.find((a) => a.value >= i)!.at).toBeLessThanOrEqual(pushedAt[i])
        // An apply of values none of which is urgent waits for the pacing after the one before.
        for (let k = 1; k < applies.length; k++) {
          if (steps.slice(applies[k - 1].value + 1, applies[k].value + 1).some((s) => s.urgent)) continue
          const cost = steps[applies[k - 1].value].cost
          const ended = applies[k - 1].at + cost
          expect(applies[k].at - ended).toBeGreaterThanOrEqual(hidden ? Math.max(1000, 9 * cost) : Math.min(250, 9 * cost))
        }
        // At most one question per push: a tab does not read its replica more often than it folds.
        expect(asked).toBeLessThanOrEqual(steps.length)
      }),
      { numRuns: 80 },
    )
  })
})
