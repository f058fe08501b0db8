import { describe, expect, it } from 'vitest'
import { stateDigest } from '../../lib/core/state/digest'
import { Replica } from '../../lib/core/state/replica'
import { testVerifier } from '../../lib/core/testing/ed25519'
import { forgeStale } from '../../lib/core/testing/forge'
import { replicaRoom } from '../../lib/core/testing/replica'
import { task } from '../../lib/core/testing/tasks'
import { recordFoldTrace, replayFoldTrace } from './fold-trace'

describe('fold trace', () => {
  it('replays the inserts and the replays late events cost, to the same state', async () => {
    const room = await replicaRoom()
    const a = await room.member('agent-a', 'agent')
    const b = await room.member('agent-b', 'agent')
    const early = room.replica.log.all().filter((e) => e.event.author !== b.peerId).map((e) => e.id)
    for (let i = 0; i < 6; i++) await room.replica.author(a, 'task.claimed', task(`a${i}`, 'api', `Task ${i}`))
    // b claims having seen only the joins: its events sort before a's claims, so they arrive late.
    const late: string[] = []
    for (let i = 0; i < 2; i++) {
      const enc = await forgeStale(room.replica.log, b, 'task.claimed', task(`b${i}`, 'web', `Web ${i}`), early, room.clock.now())
      expect(await room.replica.add(enc)).toMatchObject({ status: 'accepted' })
      late.push(enc.id)
    }

    const traced = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    const trace = recordFoldTrace(traced)
    const all = room.replica.log.all()
    for (const e of all.filter((e) => !late.includes(e.id))) await traced.add(e.bytes)
    for (const id of late) {
      await traced.add(all.find((e) => e.id === id)!.bytes)
      void traced.state
    }
    const rewinds = traced.rewindCount
    expect(rewinds).toBe(2)

    const run = await replayFoldTrace(trace(), { verifier: testVerifier, due: true })
    expect(run).toMatchObject({ events: all.length, reads: 3, rewinds, digest: stateDigest(traced.state) })
    expect(run.digest).toBe(stateDigest(room.replica.state))
    expect(run.replayed).toBeGreaterThanOrEqual(6)
  })
})
