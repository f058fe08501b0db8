import { describe, expect, it } from 'vitest'
import { replicaRoom } from '../../core/testing/replica'
import { memberPresence } from './members'

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
