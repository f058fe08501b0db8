import { describe, expect, it } from 'vitest'
import { signInvite } from '../events/verify'
import { selectRole } from './selectors'
import { inviteBody } from '../testing/room'
import { replicaRoom } from '../testing/replica'
import { AUTH_API, LOGIN_PAGE } from '../testing/tasks'
import { EventRejectedError } from '../log/reasons'

describe('member.revoked', () => {
  it('removes a member: its tasks are released and its later events count for nothing', async () => {
    const room = await replicaRoom()
    const admin = await room.member('admin', 'admin')
    const agent = await room.member('agent', 'agent')
    await room.replica.author(agent, 'task.claimed', AUTH_API)
    expect(room.replica.state.tasks.get('auth-api')?.status).toBe('claimed')

    await room.replica.author(admin, 'member.revoked', { member: agent.peerId, reason: 'compromised key' })
    expect(selectRole(room.replica.state, agent.peerId)).toBeNull()
    expect(room.replica.state.members.get(agent.peerId)?.revoked).toBe(true)
    expect(room.replica.state.tasks.get('auth-api')?.status).toBe('released')

    // Its own log still lets it sign (roles follow its chain), but the event leaves no trace:
    // not even a count of ignored events.
    const before = room.replica.digest()
    await room.replica.author(agent, 'task.claimed', LOGIN_PAGE)
    expect(room.replica.state.tasks.has('login-page')).toBe(false)
    expect(room.replica.digest()).toBe(before)
  })

  it('cannot be undone by joining again with a fresh invite', async () => {
    const room = await replicaRoom()
    const agent = await room.member('agent', 'agent')
    await room.replica.author(room.owner, 'member.revoked', { member: agent.peerId })
    const invite = await signInvite(inviteBody(room.replica.log.room, room.owner, 'agent', { nonce: 'second-chance-1' }), room.owner)
    // An author joins once per chain: the log refuses a second join outright.
    await expect(room.replica.author(agent, 'member.joined', { displayName: 'agent again', kind: 'agent', capabilities: [], invite })).rejects.toThrow(/already a member/)
    expect(selectRole(room.replica.state, agent.peerId)).toBeNull()
  })

  it('protects the owner, lets only the owner revoke an admin, and refuses agents outright', async () => {
    const room = await replicaRoom()
    const admin = await room.member('admin', 'admin')
    const other = await room.member('other-admin', 'admin')
    const agent = await room.member('agent', 'agent')
    await room.replica.author(admin, 'member.revoked', { member: room.owner.peerId })
    expect(selectRole(room.replica.state, room.owner.peerId)).toBe('owner')
    await room.replica.author(admin, 'member.revoked', { member: other.peerId })
    expect(selectRole(room.replica.state, other.peerId)).toBe('admin')
    await room.replica.author(room.owner, 'member.revoked', { member: other.peerId })
    expect(selectRole(room.replica.state, other.peerId)).toBeNull()
    await expect(room.replica.author(agent, 'member.revoked', { member: admin.peerId })).rejects.toThrow(EventRejectedError)
    expect(selectRole(room.replica.state, admin.peerId)).toBe('admin')
  })
})
