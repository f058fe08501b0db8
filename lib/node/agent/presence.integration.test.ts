/**
 * An agent's presence on a real mesh (a relay and two agents on loopback): who a beat is from
 * is answered from the authority index, never from the folded state, so a beat never runs the
 * fold replay that late events owe (every member beats every interval).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { until } from '../testing/until'
import { writerAndSkewedReader, type SkewedPair } from '../testing/skewed-pair'

let pair: SkewedPair

beforeAll(async () => {
  pair = await writerAndSkewedReader('chorus-agent-presence-', () => 0)
}, 120_000)

afterAll(() => pair?.stop())

describe("an agent's presence", () => {
  it('counts members’ beats without reading the folded state', async () => {
    const { reader, writer } = pair
    const writerId = writer.peer.signer.peerId
    await until('the reader hears the writer', () => reader.presence.status(writerId) === 'alive', 30_000)
    const reads = vi.spyOn(reader.peer.host.replica, 'state', 'get')
    const before = reader.presence.verifiedBeats
    // Beats every 500 ms from the writer and the relay: a few intervals' worth. Other readers
    // may read the state meanwhile (an address announcement's check reads who is a member, at
    // most every 10 s per peer); a beat that read it would make at least one read per beat.
    await until('beats counted', () => reader.presence.verifiedBeats >= before + 8, 30_000)
    const beats = reader.presence.verifiedBeats - before
    expect(reader.presence.status(writerId)).toBe('alive')
    expect(reads.mock.calls.length).toBeLessThan(beats / 2)
    reads.mockRestore()
  }, 60_000)
})
