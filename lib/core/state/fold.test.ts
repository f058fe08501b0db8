import { describe, expect, it } from 'vitest'
import { createGenesis } from '../log/author'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { replicaRoom } from '../testing/replica'
import { inviteBody, T0 } from '../testing/room'
import { signInvite } from '../events/verify'
import { task } from '../testing/tasks'
import { CHECKPOINT_EVERY } from './fold'
import { Replica } from './replica'

/** A room with two agents and `n` claims alternating between them. */
async function history(n: number) {
  const room = await replicaRoom()
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  for (let i = 0; i < n; i++) await room.replica.author(i % 2 ? a : b, 'task.claimed', task(`t${i}`, `repo${i % 3}`, `Task number ${i}`))
  return { room, a, b }
}

describe('Fold', () => {
  it('gives the same state for a late event deep in the past as for in-order delivery', async () => {
    const { room } = await history(CHECKPOINT_EVERY * 2 + 5)
    const events = room.replica.log.all()
    const late = events[3]
    const replica = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    // Everything but one early event: the rest of that author's chain waits for it.
    for (const e of events) if (e !== late) await replica.add(e.bytes)
    expect(replica.digest()).not.toBe(room.replica.digest())
    await replica.add(late.bytes)
    expect(replica.digest()).toBe(room.replica.digest())
  })

  it('rewinds when a concurrent event sorts before an already-folded one', async () => {
    const { room, a, b } = await history(6)
    const other = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await other.add(e.bytes)
    // Authored in two partitions: same Lamport clock, order decided by id.
    const x = await room.replica.author(a, 'task.claimed', task('x', 'r1', 'Write docs'))
    const y = await other.author(b, 'task.claimed', task('y', 'r2', 'Write tests'))
    expect(x.event.lamport).toBe(y.event.lamport)
    const [first, second] = x.id < y.id ? [x, y] : [y, x]
    const replica = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of other.log.all()) if (e.id !== y.id) await replica.add(e.bytes)
    await replica.add(second)
    const before = replica.rewindCount
    await replica.add(first)
    expect(replica.rewindCount).toBe(before + 1)
    await room.replica.add(y)
    expect(replica.digest()).toBe(room.replica.digest())
  })

  it('drops a quarantined author from its forked seq on, on every delivery order', async () => {
    const { room, a } = await history(4)
    const log = room.replica.log
    const x = await forge(log, a, 'task.claimed', task('x', 'r', 'Write docs'), T0)
    const y = await forge(log, a, 'task.claimed', task('y', 'r', 'Write tests'), T0)
    await room.replica.add(x)
    expect(room.replica.state.tasks.has('x')).toBe(true)
    expect((await room.replica.add(y)).status).toBe('rejected')
    const s = room.replica.state
    expect(s.tasks.has('x') || s.tasks.has('y')).toBe(false)
    expect(s.quarantined.get(a.peerId)).toBe(x.event.seq)
    // Claims before the fork still count.
    expect(s.tasks.get('t1')?.claimedBy).toBe(a.peerId)

    const reversed = new Replica({ room: log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of [...log.all()].reverse()) await reversed.add(e.bytes)
    expect(reversed.digest()).toBe(room.replica.digest())
  })

  it('ignores joins beyond an invite maxUses, deterministically', async () => {
    const owner = testSigner('owner')
    const genesis = await createGenesis(owner, { name: 'r', open: false, config: {}, owner: { displayName: 'O', kind: 'human', capabilities: [] } }, T0)
    const replica = new Replica({ room: genesis.id, verifier: testVerifier, now: () => T0 })
    await replica.add(genesis)
    const invite = await signInvite(inviteBody(genesis.id, owner, 'agent', { maxUses: 1 }), owner)
    const p = testSigner('p')
    const q = testSigner('q')
    await replica.author(p, 'member.joined', { displayName: 'p', kind: 'agent', capabilities: [], invite })
    await replica.author(q, 'member.joined', { displayName: 'q', kind: 'agent', capabilities: [], invite })
    expect(replica.state.ignored.get('invite_used_up')).toBe(1)
    expect(replica.state.members.has(p.peerId)).toBe(true)
    expect(replica.state.members.has(q.peerId)).toBe(false)
  })
})
