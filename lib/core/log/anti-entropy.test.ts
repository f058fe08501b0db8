/**
 * Anti-entropy over summaries: two logs holding random subsets of one history converge to
 * the union, with equal roots, in a few rounds of "send what the other lacks".
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EncodedEvent } from '../events/envelope'
import { testVerifier } from '../testing/ed25519'
import { fixtureHistory } from '../testing/fixture-history'
import { T0 } from '../testing/room'
import { EventLog } from './log'
import { eventsMissingFrom, summarize } from './summary'

describe('anti-entropy', () => {
  it('converges two random subsets to the union in one exchange', async () => {
    const history: EncodedEvent[] = await fixtureHistory()
    const fresh = () => new EventLog({ room: history[0].id, verifier: testVerifier, now: () => T0 + 3600_000 })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(2), { minLength: history.length, maxLength: history.length }), async (where) => {
        const x = fresh()
        const y = fresh()
        // 0: only x has it, 1: only y, 2: both. Each side delivers in its own order.
        for (const [i, e] of history.entries()) if (where[i] !== 1) await x.add(e.bytes)
        for (const [i, e] of [...history.entries()].reverse()) if (where[i] !== 0) await y.add(e.bytes)
        let rounds = 0
        while (summarize(x).root !== summarize(y).root && rounds < 5) {
          rounds++
          const toY = eventsMissingFrom(x, summarize(y))
          const toX = eventsMissingFrom(y, summarize(x))
          for (const e of toY) await y.add(e.bytes)
          for (const e of toX) await x.add(e.bytes)
        }
        expect(summarize(x).root).toBe(summarize(y).root)
        expect(rounds).toBeLessThanOrEqual(1)
        expect(x.size).toBe(history.length)
        expect(y.size).toBe(history.length)
      }),
      { numRuns: 30 },
    )
  }, 120_000)
})
