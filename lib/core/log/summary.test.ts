import { describe, expect, it } from 'vitest'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { join, makeRoom, T0 } from '../testing/room'
import { AUTH_API, LOGIN_PAGE, README_TYPO } from '../testing/tasks'
import { authorEvent } from './author'
import { EventLog } from './log'
import { eventsMissingFrom, summarize } from './summary'

const agentA = testSigner('agent-a')
const agentB = testSigner('agent-b')

/** Run anti-entropy between two logs until neither has anything to send. */
async function sync(x: EventLog, y: EventLog): Promise<number> {
  let rounds = 0
  for (;;) {
    rounds++
    const toY = eventsMissingFrom(x, summarize(y))
    const toX = eventsMissingFrom(y, summarize(x))
    for (const e of toY) await y.add(e.bytes)
    for (const e of toX) await x.add(e.bytes)
    if (summarize(x).root === summarize(y).root || rounds > 5) return rounds
  }
}

describe('sync summary', () => {
  it('lists (seq, head) per author and changes root when anything is added', async () => {
    const room = await makeRoom()
    const j = await join(room, agentA, 'agent')
    const before = summarize(room.log)
    expect(before.authors.find((a) => a.author === agentA.peerId)).toEqual({ author: agentA.peerId, seq: 1, head: j.id })
    const c = await authorEvent(room.log, agentA, 'task.claimed', AUTH_API, T0)
    const after = summarize(room.log)
    expect(after.authors.find((a) => a.author === agentA.peerId)).toEqual({ author: agentA.peerId, seq: 2, head: c.id })
    expect(after.root).not.toBe(before.root)
  })

  it('sends only what the other lacks, and converges', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    await join(room, agentB, 'agent')
    const other = new EventLog({ room: room.genesis.id, verifier: testVerifier, now: room.clock.now })
    await other.add(room.genesis)
    await sync(room.log, other)
    const c = await authorEvent(room.log, agentA, 'task.claimed', AUTH_API, T0)
    expect(eventsMissingFrom(room.log, summarize(other)).map((e) => e.id)).toEqual([c.id])
    expect(eventsMissingFrom(other, summarize(room.log))).toEqual([])
    expect(await sync(room.log, other)).toBe(1)
    expect(summarize(other)).toEqual(summarize(room.log))
  })

  it('exchanges both sides of a fork so both replicas quarantine the author', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    const other = new EventLog({ room: room.genesis.id, verifier: testVerifier, now: room.clock.now })
    for (const e of room.log.all()) await other.add(e.bytes)
    const x = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0)
    const y = await forge(room.log, agentA, 'task.claimed', LOGIN_PAGE, T0)
    await room.log.add(x)
    await other.add(y)
    await authorEvent(other, agentA, 'task.claimed', README_TYPO, T0)
    expect(await sync(room.log, other)).toBeLessThanOrEqual(2)
    expect(room.log.quarantined().get(agentA.peerId)).toBe(2)
    expect(other.quarantined().get(agentA.peerId)).toBe(2)
    expect(summarize(room.log)).toEqual(summarize(other))
    expect(summarize(other).authors.find((a) => a.author === agentA.peerId)?.forked).toMatch(/^[0-9a-f]{64}$/)
  })
})
