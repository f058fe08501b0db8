import { describe, expect, it } from 'vitest'
import { Replica } from '../../core/state/replica'
import { testVerifier } from '../../core/testing/ed25519'
import { replicaRoom } from '../../core/testing/replica'
import { AUTH_API } from '../../core/testing/tasks'
import { authorityPresence, memberPresence } from './members'

describe('memberPresence', () => {
  it('reads the state (running any replay owed) at most once per settle period, and still sees members folded in the meantime', async () => {
    const room = await replicaRoom()
    let t = 0
    let reads = 0
    const lookup = memberPresence(() => (reads++, room.replica.state), 1000, () => t)
    const ann = await room.member('ann', 'agent')
    for (let i = 0; i < 100; i++) expect(lookup(ann.peerId)).toEqual({ name: 'ann', kind: 'agent', role: 'agent' })
    expect(reads).toBe(1)
    // Bob joins after the last read: the fold state is live, so his beat counts without a new read.
    const bob = await room.member('bob', 'reviewer')
    expect(lookup(bob.peerId)).toMatchObject({ name: 'bob', role: 'reviewer' })
    expect(reads).toBe(1)
    await room.replica.author(bob, 'member.left', {})
    t = 1000
    expect(lookup(bob.peerId)).toBeUndefined()
    expect(reads).toBe(2)
  })

  it('without a settle period reads the state at every lookup', async () => {
    const room = await replicaRoom()
    let reads = 0
    const lookup = memberPresence(() => (reads++, room.replica.state))
    const ann = await room.member('ann', 'agent')
    for (let i = 0; i < 10; i++) lookup(ann.peerId)
    expect(reads).toBe(10)
  })
})

describe('authorityPresence', () => {
  it('answers who a beat is from while the fold owes a replay, without running it', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    const carol = await room.member('carol', 'reviewer')
    const dave = await room.member('dave', 'agent')
    // A peer that fell behind right after the joins renames carol and lets dave leave …
    const behind = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await behind.add(e.bytes)
    await behind.author(carol, 'member.renamed', { displayName: 'Carol B.' })
    await behind.author(dave, 'member.left', {})
    // … while the room moved on: those events arrive at the hub with clocks far behind its tail.
    for (let i = 0; i < 150; i++) await room.replica.author(ann, 'task.claimed', { ...AUTH_API, taskId: `t${i}` })
    const hub = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await hub.add(e.bytes)
    expect(hub.state.members.size).toBe(4)
    for (const e of behind.log.all()) await hub.add(e.bytes)
    expect(hub.replayOwed).toBe(true)

    const lookup = authorityPresence((id) => hub.authority.member(id))
    for (let i = 0; i < 50; i++) {
      expect(lookup(ann.peerId)).toEqual({ name: 'ann', kind: 'agent', role: 'agent' })
      expect(lookup(carol.peerId)).toEqual({ name: 'Carol B.', kind: 'human', role: 'reviewer' })
      expect(lookup(dave.peerId)).toBeUndefined()
      expect(lookup(room.owner.peerId)).toEqual({ name: 'Owner', kind: 'relay', role: 'owner' })
    }
    expect(hub.replayOwed).toBe(true)
    // The fold, once read, says the same.
    expect(hub.state.members.get(carol.peerId)?.displayName).toBe('Carol B.')
    expect(hub.state.members.get(dave.peerId)?.left).toBe(true)
  })

  it('sees a revoked member go, and a key that never joined is nobody', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    const lookup = authorityPresence((id) => room.replica.authority.member(id))
    expect(lookup(ann.peerId)).toMatchObject({ name: 'ann' })
    await room.replica.author(room.owner, 'member.revoked', { member: ann.peerId, reason: 'lost laptop' })
    expect(lookup(ann.peerId)).toBeUndefined()
    expect(lookup('12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq')).toBeUndefined()
  })
})
