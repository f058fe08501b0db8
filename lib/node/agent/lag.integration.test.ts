/**
 * How far behind the room an agent thinks it is, on a real mesh (relay and two agents, libp2p on
 * loopback): the reader's clock jumps a minute ahead, so every event the writer writes
 * looks a minute old to it. In a quiet room nothing newer arrives to show the reader has caught up;
 * a sync round that finds the relay holding nothing the reader lacks must.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventId } from '../../core/ids'
import { until } from '../testing/until'
import { writerAndSkewedReader, type SkewedPair } from '../testing/skewed-pair'

let pair: SkewedPair
/** The reader's wall clock: the real one plus this (it joins on time, then its clock jumps ahead). */
let fastBy = 0

beforeAll(async () => {
  pair = await writerAndSkewedReader('chorus-lag-', () => fastBy)
}, 120_000)

afterAll(() => pair?.stop())

describe('an agent behind the room', () => {
  it('stops counting itself behind once a sync round finds it holds all the relay has', async () => {
    const { writer, reader } = pair
    fastBy = 60_000
    const e = await writer.peer.author('task.claimed', { taskId: 't-1', projectId: 'p', repository: 'acme/api', title: 'Task 1', description: '' })
    await until('the claim at the reader', () => reader.peer.host.replica.log.has(e.id as EventId), 60_000)
    const stored = Date.now()
    // The claim alone would keep the reader a minute behind for a minute; equal rounds run every 500 ms.
    await until('the reader to count itself caught up', () => reader.peer.host.lagMs < 5000, 45_000)
    expect(Date.now() - stored).toBeLessThan(50_000)
  }, 180_000)
})
