import { describe, expect, it } from 'vitest'
import { LonePass } from './lone-pass'

/** A LonePass whose turns end when the test says so. */
function lone(perTurn = 4) {
  const ends: Array<() => void> = []
  const pass = new LonePass(perTurn, (fn) => ends.push(fn))
  return { pass, endTurn: () => ends.splice(0).forEach((fn) => fn()) }
}

describe('LonePass', () => {
  it('lets each author past once per turn, at most perTurn authors, and again on the next turn', () => {
    const { pass, endTurn } = lone(3)
    expect(pass.take('a')).toBe(true)
    expect(pass.take('a')).toBe(false)
    expect(['b', 'c', 'd'].map((x) => pass.take(x))).toEqual([true, true, false])
    endTurn()
    expect(['a', 'd'].map((x) => pass.take(x))).toEqual([true, true])
    expect(pass.passes).toBe(5)
  })

  it('keeps an author with an add in the lane in the lane until that add settles, even if it failed', async () => {
    const { pass, endTurn } = lone()
    let settle: (ok: boolean) => void = () => undefined
    const add = pass.track('a', new Promise<void>((resolve, reject) => (settle = (ok) => (ok ? resolve() : reject(new Error('no'))))))
    expect(pass.take('a')).toBe(false)
    endTurn()
    expect(pass.take('a')).toBe(false)
    settle(false)
    await expect(add).rejects.toThrow('no')
    expect(pass.take('a')).toBe(true)
  })
})
