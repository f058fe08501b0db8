import { describe, expect, it, vi } from 'vitest'
import { Replica } from '../core/state/replica'
import { testVerifier } from '../core/testing/ed25519'
import { replicaRoom } from '../core/testing/replica'
import { AUTH_API } from '../core/testing/tasks'
import { tabMembers } from './tab-mesh'

describe("a tab's presence lookup", () => {
  it('answers every beat without reading the folded state, so a replay owed stays owed', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    const bob = await room.member('bob', 'reviewer')
    // A peer behind the room lets bob leave; the event reaches the tab far behind its tail.
    const behind = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await behind.add(e.bytes)
    await behind.author(bob, 'member.left', {})
    for (let i = 0; i < 40; i++) await room.replica.author(ann, 'task.claimed', { ...AUTH_API, taskId: `t${i}` })
    const tab = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await tab.add(e.bytes)
    for (const e of behind.log.all()) await tab.add(e.bytes)
    expect(tab.replayOwed).toBe(true)

    const reads = vi.spyOn(tab, 'state', 'get')
    const lookup = tabMembers(tab)
    const beats = 30
    for (let i = 0; i < beats; i++) {
      expect(lookup(ann.peerId)).toEqual({ name: 'ann', kind: 'agent', role: 'agent' })
      expect(lookup(bob.peerId)).toBeUndefined()
      expect(lookup(room.owner.peerId)).toMatchObject({ kind: 'relay', role: 'owner' })
    }
    expect(reads).not.toHaveBeenCalled()
    expect(tab.replayOwed).toBe(true)
    reads.mockRestore()
  })
})
