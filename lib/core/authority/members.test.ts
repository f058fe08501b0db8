import { describe, expect, it } from 'vitest'
import { Membership } from './members'
import { signInvite } from '../events/verify'
import { Replica } from '../state/replica'
import { testSigner, testVerifier } from '../testing/ed25519'
import { replicaRoom } from '../testing/replica'
import { inviteBody } from '../testing/room'

describe('Authority.member', () => {
  it('counts an invite’s uses in fold order: of two keys redeeming a single-use invite concurrently, only the first in fold order is a member', async () => {
    const room = await replicaRoom()
    const invite = await signInvite(inviteBody(room.replica.log.room, room.owner, 'agent', { maxUses: 1, nonce: 'single-use' }), room.owner)
    const x = testSigner('x')
    const y = testSigner('y')
    // Each redeems it on a replica that has not seen the other's join.
    const other = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await other.add(e.bytes)
    await room.replica.author(x, 'member.joined', { displayName: 'x', kind: 'agent', capabilities: [], invite })
    await other.author(y, 'member.joined', { displayName: 'y', kind: 'agent', capabilities: [], invite })
    for (const e of other.log.all()) await room.replica.add(e.bytes)

    const st = room.replica.state
    const members = [x, y].filter((k) => st.members.get(k.peerId) != null)
    expect(members).toHaveLength(1)
    for (const k of [x, y]) {
      const m = st.members.get(k.peerId)
      expect(room.replica.authority.member(k.peerId)).toEqual(m && { displayName: m.displayName, kind: m.kind, role: m.role, capabilities: m.capabilities, left: false, revoked: false })
    }
  })

  it('follows a member through a rename and a leave', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    await room.replica.author(ann, 'member.renamed', { displayName: 'Ann' })
    expect(room.replica.authority.member(ann.peerId)).toMatchObject({ displayName: 'Ann', left: false })
    await room.replica.author(ann, 'member.left', {})
    expect(room.replica.authority.member(ann.peerId)).toMatchObject({ displayName: 'Ann', left: true })
    // A rename after leaving is ignored by the fold, and so here.
    await room.replica.author(ann, 'member.renamed', { displayName: 'Gone' }).catch(() => undefined)
    expect(room.replica.authority.member(ann.peerId)).toMatchObject({ displayName: 'Ann', left: true })
    expect(room.replica.state.members.get(ann.peerId)?.displayName).toBe('Ann')
  })

  it('remembers no answer for keys the log never names, and hands out answers no caller can edit', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    const a = room.replica.authority
    // Any connected peer can put any key in a presence beat; those lookups must not pile up.
    for (let i = 0; i < 5000; i++) expect(a.member(`12D3KooWnobody${i}` as typeof ann.peerId)).toBeUndefined()
    const facts = a.member(ann.peerId)!
    expect(facts).toMatchObject({ displayName: 'ann', kind: 'agent', left: false })
    expect(() => facts.capabilities.push('admin')).toThrow(TypeError)
    expect(() => Object.assign(facts, { role: 'owner' })).toThrow(TypeError)
    expect(a.member(ann.peerId)?.role).not.toBe('owner')
    const m = (a as unknown as { membership: Membership }).membership
    expect(m.remembered).toBeLessThanOrEqual(2)
  })
})
