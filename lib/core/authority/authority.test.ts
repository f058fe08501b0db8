import { describe, expect, it } from 'vitest'
import type { EncodedEvent } from '../events/envelope'
import type { InviteBody } from '../events/kinds/invite'
import type { Signer } from '../events/signer'
import { signInvite } from '../events/verify'
import type { EventId } from '../ids'
import { Replica } from '../state/replica'
import { selectInvites } from '../state/select-invites'
import { selectMembers, selectRole } from '../state/selectors'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forgeStale } from '../testing/forge'
import { replicaRoom, type ReplicaRoom } from '../testing/replica'
import { inviteBody, T0 } from '../testing/room'
import { AUTH_API, LOGIN_PAGE } from '../testing/tasks'
import { JOIN_WITNESS_GRACE_MS } from './standing'

const HOUR = 3600_000

/** Adds an event to the room's replica and fails the test unless it is stored. */
async function put(room: ReplicaRoom, e: EncodedEvent): Promise<EncodedEvent> {
  expect(await room.replica.add(e)).toMatchObject({ status: 'accepted' })
  return e
}

/** A signed invite to the room. */
const invite = (room: ReplicaRoom, issuer: Signer, role: InviteBody['role'], { nonce = 'x', ...extra }: Partial<InviteBody> = {}) =>
  signInvite(inviteBody(room.replica.log.room, issuer, role, { nonce: `invite-${nonce}-${role}`, ...extra }), issuer)

/** A join by a fresh key that cites only `deps` (it pretends to have seen nothing newer). */
async function staleJoin(room: ReplicaRoom, who: Signer, inv: Awaited<ReturnType<typeof invite>>, deps: EventId[], time = room.clock.now()): Promise<EncodedEvent> {
  return put(room, await forgeStale(room.replica.log, who, 'member.joined', { displayName: 'x', kind: 'agent', capabilities: [], invite: inv }, deps, time))
}

/** Every stored event, delivered to fresh replicas in `orders` random orders: each ends in the same state. */
async function expectOrderIndependent(room: ReplicaRoom, orders = 4): Promise<void> {
  const events = room.replica.log.all()
  let seed = 7
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32)
  for (let k = 0; k < orders; k++) {
    const shuffled = [...events].sort(() => rand() - 0.5)
    const other = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of shuffled) await other.add(e.bytes)
    expect(other.log.size).toBe(events.length)
    expect(other.digest()).toBe(room.replica.digest())
  }
}

const ids = (room: ReplicaRoom, who: Signer) => room.replica.log.eventsAfter(who.peerId, 0).map((e) => e.id)

describe('authority is causal', () => {
  it('a revoked member stays out: leaving and joining again with a usable invite gives it nothing', async () => {
    const room = await replicaRoom()
    const mallory = await room.member('mallory', 'agent')
    await room.replica.author(room.owner, 'member.revoked', { member: mallory.peerId })
    const spare = await invite(room, room.owner, 'agent', { nonce: 'spare' })
    await room.replica.author(mallory, 'member.left', {})
    await room.replica.author(mallory, 'member.joined', { displayName: 'back again', kind: 'agent', capabilities: [], invite: spare })
    await room.replica.author(mallory, 'task.claimed', AUTH_API)
    expect(selectRole(room.replica.state, mallory.peerId)).toBeNull()
    expect(room.replica.state.members.get(mallory.peerId)).toMatchObject({ revoked: true, displayName: 'mallory' })
    expect(room.replica.state.tasks.has('auth-api')).toBe(false)
    expect(room.replica.state.inviteUses.get(`${room.owner.peerId}/${spare.nonce}`)).toBeUndefined()
    await expectOrderIndependent(room)
  })

  it("a revoked member's events outside the revocation's causal past have no effect, whatever Lamport clock they carry", async () => {
    const room = await replicaRoom()
    const mallory = await room.member('mallory', 'agent')
    const before = room.replica.log.latestOf(room.owner.peerId)?.id as EventId
    await room.replica.author(room.owner, 'room.configured', { config: { escalationThreshold: 5 } })
    await room.replica.author(room.owner, 'room.configured', { config: { escalationThreshold: 6 } })
    const revocation = await room.replica.author(room.owner, 'member.revoked', { member: mallory.peerId })
    // Cites only what preceded the revocation, so it folds before it in (lamport, id) order.
    const late = await put(room, await forgeStale(room.replica.log, mallory, 'task.claimed', LOGIN_PAGE, [before], room.clock.now() + 1))
    expect(room.replica.log.get(late.id)!.event.lamport).toBeLessThan(room.replica.log.get(revocation.id)!.event.lamport)
    expect(room.replica.state.tasks.has('login-page')).toBe(false)
    // The gossip layer is told not to forward it.
    const again = await forgeStale(room.replica.log, mallory, 'task.claimed', AUTH_API, [before], room.clock.now() + 2)
    expect(await room.replica.add(again)).toMatchObject({ status: 'accepted', inert: true })
    await expectOrderIndependent(room)
  })

  it("an admin's invite admits nobody the owner's revocation of that admin had not seen; joins it had seen stay", async () => {
    const room = await replicaRoom()
    const zed = await room.member('zed', 'admin')
    const zedJoin = ids(room, zed)[0]
    const early = testSigner('early')
    const inv = await invite(room, zed, 'agent', { issuerJoin: zedJoin, nonce: 'zed-agents', maxUses: 5 })
    await room.replica.author(early, 'member.joined', { displayName: 'early', kind: 'agent', capabilities: [], invite: inv })
    await room.replica.author(room.owner, 'member.revoked', { member: zed.peerId })
    const late = testSigner('late')
    await staleJoin(room, late, inv, [zedJoin])
    expect(selectRole(room.replica.state, early.peerId)).toBe('agent')
    expect(selectRole(room.replica.state, late.peerId)).toBeNull()
    expect(selectRole(room.replica.state, zed.peerId)).toBeNull()
    await expectOrderIndependent(room)
  })

  it('an expired invite redeemed by a fresh key that backdates its join stops admitting once anyone cites the join', async () => {
    const room = await replicaRoom()
    const witness = await room.member('witness', 'agent')
    const inv = await invite(room, room.owner, 'agent', { expires: T0 + HOUR, nonce: 'short' })
    room.clock.advance(3 * HOUR)
    const genesis = room.replica.log.room as EventId
    const mallory = testSigner('mallory')
    await staleJoin(room, mallory, inv, [genesis], T0 + 30 * 60_000)
    await room.replica.author(mallory, 'task.claimed', AUTH_API)
    // Nobody else has seen the join yet: it counts for now.
    expect(selectRole(room.replica.state, mallory.peerId)).toBe('agent')
    // The first honest event after it cites it, at the real time: 3 h > 1 h expiry + grace.
    await room.replica.author(witness, 'task.claimed', LOGIN_PAGE)
    expect(selectRole(room.replica.state, mallory.peerId)).toBeNull()
    expect(room.replica.state.tasks.has('auth-api')).toBe(false)
    expect(room.replica.authority.joinVoid(ids(room, mallory)[0])).toMatch(/expired/)
    await expectOrderIndependent(room)
  })

  it('a join made in time and witnessed within the grace period counts', async () => {
    const room = await replicaRoom()
    const witness = await room.member('witness', 'agent')
    const inv = await invite(room, room.owner, 'agent', { expires: T0 + HOUR, nonce: 'short' })
    room.clock.advance(HOUR - 60_000)
    const late = testSigner('just-in-time')
    await room.replica.author(late, 'member.joined', { displayName: 'jit', kind: 'agent', capabilities: [], invite: inv })
    room.clock.advance(JOIN_WITNESS_GRACE_MS)
    await room.replica.author(witness, 'task.claimed', LOGIN_PAGE)
    expect(selectRole(room.replica.state, late.peerId)).toBe('agent')
  })

  it('invite.revoked stops later redemptions, keeps those in its causal past, and lists the invite as revoked', async () => {
    const room = await replicaRoom()
    const inv = await invite(room, room.owner, 'agent', { nonce: 'ci', maxUses: 10 })
    await room.replica.author(room.owner, 'invite.issued', { invite: (({ sig: _s, ...body }) => body)(inv), label: 'CI runners' })
    const first = testSigner('first')
    const firstJoin = await room.replica.author(first, 'member.joined', { displayName: 'first', kind: 'agent', capabilities: [], invite: inv })
    await room.replica.author(room.owner, 'invite.revoked', { issuer: room.owner.peerId, nonce: inv.nonce, reason: 'leaked' })
    await staleJoin(room, testSigner('second'), inv, [firstJoin.id])
    expect(selectRole(room.replica.state, first.peerId)).toBe('agent')
    expect(selectRole(room.replica.state, testSigner('second').peerId)).toBeNull()
    const [view] = selectInvites(room.replica.state, room.clock.now())
    expect(view).toMatchObject({ nonce: inv.nonce, label: 'CI runners', used: 1, left: 9, status: 'revoked', role: 'agent' })
    await expectOrderIndependent(room)
  })

  it('an admin revokes agent invites of others but not an admin invite of another admin', async () => {
    const room = await replicaRoom()
    const a1 = await room.member('a1', 'admin')
    const a2 = await room.member('a2', 'admin')
    const a1Join = ids(room, a1)[0]
    const agentInv = await invite(room, a1, 'agent', { issuerJoin: a1Join, nonce: 'ag' })
    const adminInv = await invite(room, a1, 'admin', { issuerJoin: a1Join, nonce: 'ad' })
    const head = (await room.replica.author(a2, 'invite.revoked', { issuer: a1.peerId, nonce: agentInv.nonce })).id
    await room.replica.author(a2, 'invite.revoked', { issuer: a1.peerId, nonce: adminInv.nonce })
    await staleJoin(room, testSigner('ag'), agentInv, [head])
    const adminJoin = await room.replica.author(testSigner('ad'), 'member.joined', { displayName: 'ad', kind: 'human', capabilities: [], invite: adminInv })
    expect(selectRole(room.replica.state, testSigner('ag').peerId)).toBeNull()
    expect(selectRole(room.replica.state, testSigner('ad').peerId)).toBe('admin')
    expect(room.replica.authority.joinVoid(adminJoin.id)).toBeUndefined()
  })

  it('only the owner revokes an admin, nobody the owner; an admin bans a key that has not joined yet', async () => {
    const room = await replicaRoom()
    const a1 = await room.member('a1', 'admin')
    const a2 = await room.member('a2', 'admin')
    await room.replica.author(a1, 'member.revoked', { member: a2.peerId })
    await room.replica.author(a1, 'member.revoked', { member: room.owner.peerId })
    expect(selectRole(room.replica.state, a2.peerId)).toBe('admin')
    expect(selectRole(room.replica.state, room.owner.peerId)).toBe('owner')
    const stranger = testSigner('stranger')
    await room.replica.author(a1, 'member.revoked', { member: stranger.peerId, reason: 'leaked key' })
    await room.replica.author(stranger, 'member.joined', { displayName: 's', kind: 'agent', capabilities: [], invite: await invite(room, room.owner, 'agent') })
    expect(selectRole(room.replica.state, stranger.peerId)).toBeNull()
  })

  it('member.renamed changes the name the member list shows', async () => {
    const room = await replicaRoom()
    const a = await room.member('agent-7f3a', 'agent')
    await room.replica.author(a, 'member.renamed', { displayName: 'API agent' })
    expect(selectMembers(room.replica.state).map((m) => m.displayName)).toContain('API agent')
  })
})
