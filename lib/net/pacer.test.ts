import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Pacer } from './pacer'

/** A pacer on a hand-driven clock whose turns run only when `step()` is called. */
function manual(sliceMs = 10) {
  let t = 0
  const turns: Array<() => void> = []
  const pacer = new Pacer(sliceMs, () => t, (fn) => void turns.push(fn))
  const settle = () => new Promise((r) => setImmediate(r))
  return {
    pacer,
    advance: (ms: number) => (t += ms),
    /** Runs every turn queued so far (one turn of the event loop), then the microtasks it caused. */
    step: async () => {
      for (const fn of turns.splice(0)) fn()
      await settle()
    },
    settle,
    pendingTurns: () => turns.length,
  }
}

describe('Pacer', () => {
  it('lets a lone caller through at once; a burst goes a few per turn, in order, fewer per turn when each costs more', async () => {
    const m = manual()
    await m.pacer.pass()
    expect(m.pacer.deferred).toBe(0)
    await m.step()
    const done: number[] = []
    // 100 validators resume together; each costs 2 ms of forwarding once it passes.
    const all = Array.from({ length: 100 }, (_, i) => m.pacer.pass().then(() => (done.push(i), m.advance(2))))
    await m.settle()
    expect(done.length).toBe(8)
    const perTurn: number[] = []
    while (done.length < 100) {
      const before = done.length
      await m.step()
      perTurn.push(done.length - before)
      expect(perTurn.length).toBeLessThan(100)
    }
    await Promise.all(all)
    expect(done).toEqual(Array.from({ length: 100 }, (_, i) => i))
    // 2 ms each against a 10 ms slice: about five per turn once it has adapted.
    expect(Math.max(...perTurn.slice(2))).toBeLessThanOrEqual(6)
    expect(m.pacer.deferred).toBe(92)
  })

  it("lets another author's lone caller through at once behind one author's backlog; the backlog still goes a few per turn, in order", async () => {
    const m = manual()
    const done: string[] = []
    const all = Array.from({ length: 100 }, (_, i) => m.pacer.pass('flood').then(() => void done.push(`flood ${i}`)))
    all.push(m.pacer.pass('honest').then(() => void done.push('honest')))
    await m.settle()
    expect(done).toContain('honest')
    expect(done.filter((d) => d.startsWith('flood')).length).toBe(m.pacer.perTurn)
    // A second event of the same author in the same turn waits its turn like anyone's.
    all.push(m.pacer.pass('honest').then(() => void done.push('honest again')))
    await m.settle()
    expect(done).not.toContain('honest again')
    await m.step()
    expect(done).toContain('honest again')
    while (m.pendingTurns() > 0) await m.step()
    await Promise.all(all)
    expect(done.filter((d) => d.startsWith('flood'))).toEqual(Array.from({ length: 100 }, (_, i) => `flood ${i}`))
  })

  it("releases the keys that wait in turn: one author's backlog holds another's second caller back by one turn at most", async () => {
    const m = manual()
    const done: string[] = []
    const all = Array.from({ length: 100 }, (_, i) => m.pacer.pass('flood').then(() => void done.push(`flood ${i}`)))
    all.push(m.pacer.pass('honest').then(() => void done.push('honest 0')))
    all.push(m.pacer.pass('honest').then(() => void done.push('honest 1')))
    await m.settle()
    expect(done).toContain('honest 0')
    expect(done).not.toContain('honest 1')
    await m.step()
    expect(done.slice(-m.pacer.perTurn)).toContain('honest 1')
    while (m.pendingTurns() > 0) await m.step()
    await Promise.all(all)
    expect(done.filter((d) => d.startsWith('flood'))).toEqual(Array.from({ length: 100 }, (_, i) => `flood ${i}`))
  })

  it('releases every caller exactly once, in the order they came, whatever the timing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.boolean()), { minLength: 1, maxLength: 60 }), async (plan) => {
        const m = manual()
        const order: number[] = []
        const all: Promise<void>[] = []
        for (const [i, [cost, stepFirst]] of plan.entries()) {
          if (stepFirst) await m.step()
          all.push(m.pacer.pass().then(() => void (order.push(i), m.advance(cost))))
        }
        while (m.pendingTurns() > 0) await m.step()
        await Promise.all(all)
        expect(order).toEqual(plan.map((_, i) => i))
      }),
    )
  })
})
