import { describe, expect, it } from 'vitest'
import type { Replica } from '../../core/state/replica'
import { replicaRoom } from '../../core/testing/replica'
import { memoryChannelPair } from './channel'
import { SyncProtocolError } from './messages'
import { initiateRound, respondRound } from './round'
import { emptyCopy, syncView } from './testing'

async function round(a: Replica, b: Replica, probe = false) {
  const [ca, cb] = memoryChannelPair()
  const [ra, rb] = await Promise.all([initiateRound(ca, syncView(a), { probe }), respondRound(cb, syncView(b))])
  return { ra, rb }
}

describe('anti-entropy round', () => {
  it.each([['hello', false], ['probe', true]])('opened by a %s, brings two replicas that wrote on both sides to the same root and state in one round', async (_, probe) => {
    const room = await replicaRoom()
    const a = room.replica
    const alice = await room.member('alice', 'agent')
    const bob = await room.member('bob', 'agent')
    const b = await emptyCopy(a)
    await round(a, b, probe)
    expect(b.summary().root).toBe(a.summary().root)

    // A partition: each side writes on its own.
    await a.author(alice, 'task.claimed', { taskId: 't1', projectId: 'p', repository: 'api', title: 'Define user authentication API', description: '' })
    await b.author(bob, 'task.claimed', { taskId: 't2', projectId: 'p', repository: 'web', title: 'Implement login page', description: '' })
    await b.author(bob, 'task.claimed', { taskId: 't3', projectId: 'p', repository: 'db', title: 'Add user preferences table', description: '' })
    expect(a.summary().root).not.toBe(b.summary().root)

    const { ra, rb } = await round(a, b, probe)
    expect(ra).toMatchObject({ equal: false, sent: 1, received: 2, added: 2 })
    expect(rb).toMatchObject({ equal: false, sent: 2, received: 1, added: 1 })
    expect(a.summary().root).toBe(b.summary().root)
    expect(a.digest()).toBe(b.digest())
    // A second round finds nothing to do.
    expect((await round(a, b, probe)).ra.equal).toBe(true)
  })

  it('spreads equivocation evidence both ways so both sides quarantine the forking author', async () => {
    const room = await replicaRoom()
    const a = room.replica
    const mallory = await room.member('mallory', 'agent')
    const b = await emptyCopy(a)
    await round(a, b)
    // The same (author, seq) with different content on each side: a fork.
    await a.author(mallory, 'task.claimed', { taskId: 'x', projectId: 'p', repository: 'api', title: 'One thing', description: '' })
    await b.author(mallory, 'task.claimed', { taskId: 'y', projectId: 'p', repository: 'web', title: 'Another thing', description: '' })
    await round(a, b)
    expect([...a.log.quarantined().keys()]).toEqual([mallory.peerId])
    expect([...b.log.quarantined().keys()]).toEqual([mallory.peerId])
    expect(a.summary().root).toBe(b.summary().root)
    expect(a.digest()).toBe(b.digest())
  })

  it('ends at once when roots are equal, sending only the summary', async () => {
    const room = await replicaRoom()
    const b = await emptyCopy(room.replica)
    const { ra, rb } = await round(room.replica, b)
    expect(ra).toMatchObject({ equal: true, sent: 0, received: 0 })
    expect(rb).toMatchObject({ equal: true, sent: 0, received: 0 })
  })

  it('catches up a new peer on a long history in bounded batches', async () => {
    const room = await replicaRoom()
    const alice = await room.member('alice', 'agent')
    for (let i = 0; i < 300; i++) {
      await room.replica.author(alice, 'task.claimed', { taskId: `t${i}`, projectId: 'p', repository: `repo-${i % 7}`, title: `Task number ${i}`, description: '' })
    }
    const fresh = await emptyCopy(room.replica)
    const { rb } = await round(fresh, room.replica)
    expect(rb.sent).toBe(room.replica.log.size - 1)
    expect(fresh.summary().root).toBe(room.replica.summary().root)
    expect(fresh.log.pendingCount).toBe(0)
  })

  it('never has more than two unacknowledged batches in flight, however slow the receiver', async () => {
    const room = await replicaRoom()
    const alice = await room.member('alice', 'agent')
    for (let i = 0; i < 300; i++) {
      await room.replica.author(alice, 'task.claimed', { taskId: `t${i}`, projectId: 'p', repository: 'r', title: `Task ${i}`, description: 'x'.repeat(7000) })
    }
    const fresh = await emptyCopy(room.replica)
    const [ca, cb] = memoryChannelPair()
    // Count, on the sending side, batches sent minus acks received.
    let inFlight = 0
    let most = 0
    const watched = { ...cb, send: async (m: Parameters<typeof cb.send>[0]) => { if (m.t === 'events') most = Math.max(most, ++inFlight); return cb.send(m) }, receive: async () => { const m = await cb.receive(); if (m.t === 'ack') inFlight--; return m } }
    const slow = syncView(fresh)
    const slowIngest = slow.ingest
    slow.ingest = async (events) => {
      await new Promise((r) => setTimeout(r, 20))
      return slowIngest(events)
    }
    await Promise.all([initiateRound(ca, slow), respondRound(watched as typeof cb, syncView(room.replica))])
    expect(fresh.summary().root).toBe(room.replica.summary().root)
    expect(most).toBeGreaterThan(0)
    expect(most).toBeLessThanOrEqual(2)
  })

  it('refuses a peer of another room with a clear reason', async () => {
    const one = await replicaRoom()
    const other = await replicaRoom({ escalationThreshold: 3 })
    const [ca, cb] = memoryChannelPair()
    const results = await Promise.allSettled([initiateRound(ca, syncView(one.replica)), respondRound(cb, syncView(other.replica))])
    expect(results[0].status).toBe('rejected')
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(SyncProtocolError)
    expect(((results[0] as PromiseRejectedResult).reason as SyncProtocolError).reason).toBe('remote')
    expect(((results[1] as PromiseRejectedResult).reason as SyncProtocolError).reason).toBe('wrong_room')
  })

  it('opened by a probe, sends the root alone between equal replicas, whatever the number of authors', async () => {
    const room = await replicaRoom()
    for (let i = 0; i < 40; i++) await room.member(`agent-${i}`, 'agent')
    const b = await emptyCopy(room.replica)
    await round(b, room.replica)
    const hello = await round(b, room.replica)
    const probe = await round(b, room.replica, true)
    expect(hello.ra.equal).toBe(true)
    expect(probe.ra.equal).toBe(true)
    expect(probe.rb.equal).toBe(true)
    // 41 authors' heads in the summary against one root.
    expect(hello.ra.bytesSent).toBeGreaterThan(41 * 60)
    expect(probe.ra.bytesSent).toBeLessThan(200)
  })

  it('refuses a probe from a peer of another room with a clear reason', async () => {
    const one = await replicaRoom()
    const other = await replicaRoom({ escalationThreshold: 3 })
    const [ca, cb] = memoryChannelPair()
    const results = await Promise.allSettled([initiateRound(ca, syncView(one.replica), { probe: true }), respondRound(cb, syncView(other.replica))])
    expect(((results[0] as PromiseRejectedResult).reason as SyncProtocolError).message).toContain(`this peer serves room ${other.replica.log.room}`)
    expect(((results[1] as PromiseRejectedResult).reason as SyncProtocolError).reason).toBe('wrong_room')
  })
})
