/**
 * An NTP step of a peer's wall clock, on a real mesh (relay and two agents, libp2p on
 * loopback): the receiving agent's clock runs three minutes ahead, is stepped back to the right
 * time, forward again and back, while the other agent keeps writing at an honest pace. Every
 * event must still reach it within seconds, and no budget may refuse or defer any of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventId } from '../../core/ids'
import { until } from '../testing/until'
import { writerAndSkewedReader, type SkewedPair } from '../testing/skewed-pair'

const MINUTES = 60_000
let pair: SkewedPair
/** The reader's wall clock: the real one plus this offset. */
let offset = 3 * MINUTES

beforeAll(async () => {
  pair = await writerAndSkewedReader('chorus-clock-step-', () => offset)
}, 120_000)

afterAll(() => pair?.stop())

describe('a wall clock stepped by minutes', () => {
  it('does not stop honest traffic: every event arrives within seconds, none refused or deferred by a budget', async () => {
    const { writer, reader } = pair
    const steps = [0, 3 * MINUTES, 0, 3 * MINUTES, 0]
    const delays: number[] = []
    let n = 0
    for (const step of steps) {
      // A burst of honest work at each clock position: a claim, then messages in its wake.
      offset = step
      for (let i = 0; i < 10; i++) {
        const sent = performance.now()
        const e = await writer.peer.author('task.claimed', { taskId: `t-${n++}`, projectId: 'p', repository: 'acme/api', title: `Task ${n}`, description: '' })
        await until(`event ${n} at the reader`, () => reader.peer.host.replica.log.has(e.id as EventId), 60_000)
        delays.push(performance.now() - sent)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    expect(reader.peer.host.replica.state.tasks.size).toBe(n)
    expect([...reader.peer.authors.refused.values()].reduce((a, b) => a + b, 0)).toBe(0)
    expect(reader.peer.syncBudget.deferred).toBe(0)
    expect(reader.peer.gossip.rateLimited).toBe(0)
    // A budget running on the stepped clock would hold the writer's events for the step's three
    // minutes; on a loaded 2-core machine an honest delivery can still take several seconds.
    expect(Math.max(...delays)).toBeLessThan(30_000)
  }, 240_000)
})
