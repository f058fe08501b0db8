import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { encodeEvent, signingBytes } from '../events/codec'
import { MAX_EVENT_BYTES } from '../events/constants'
import type { SignedEvent } from '../events/envelope'
import { signInvite } from '../events/verify'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { inviteBody, join, makeRoom, T0 } from '../testing/room'
import { AUTH_API, LOGIN_PAGE, README_TYPO } from '../testing/tasks'
import { authorEvent } from './author'
import { EventLog } from './log'

const agentA = testSigner('agent-a')
const agentB = testSigner('agent-b')
const reviewer = testSigner('reviewer')

describe('EventLog.add', () => {
  it('accepts a member redeeming an owner invite, and reports a duplicate the second time', async () => {
    const room = await makeRoom()
    const joined = await join(room, agentA, 'agent')
    expect(room.log.get(joined.id)?.roleAfter).toBe('agent')
    expect(await room.log.add(joined.bytes)).toEqual({ status: 'duplicate', id: joined.id })
    // A plain signed event object is encoded and checked exactly like bytes.
    const claim = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0)
    expect(await room.log.add({ ...claim.event })).toEqual({ status: 'accepted', id: claim.id })
    expect(room.log.stats()).toMatchObject({ accepted: 3, duplicate: 1 })
  })

  it('answers duplicate for a re-offered stored or parked event without checking its signature again', async () => {
    const source = await makeRoom()
    const joined = await join(source, agentA, 'agent')
    let verifies = 0
    const counting = { verify: (p: Parameters<typeof testVerifier.verify>[0], b: Uint8Array, s: Uint8Array) => (verifies++, testVerifier.verify(p, b, s)) }
    const fresh = new EventLog({ room: source.genesis.id, verifier: counting, now: source.clock.now })
    expect(await fresh.add(joined.bytes)).toMatchObject({ status: 'pending' })
    const afterPark = verifies
    expect(await fresh.add(joined.bytes.slice())).toEqual({ status: 'duplicate', id: joined.id })
    expect(await fresh.add(source.genesis.bytes)).toEqual({ status: 'accepted', id: source.genesis.id })
    const afterGenesis = verifies
    expect(await fresh.add(source.genesis.bytes.slice())).toEqual({ status: 'duplicate', id: source.genesis.id })
    expect(await fresh.add(joined)).toEqual({ status: 'duplicate', id: joined.id })
    expect([afterPark, verifies - afterGenesis]).toEqual([2, 0]) // the join and its invite, then nothing
    expect(fresh.stats()).toMatchObject({ accepted: 2, duplicate: 3, malformed: 0 })
  })

  it('parks events with missing references and releases them when the references arrive', async () => {
    const source = await makeRoom()
    const joined = await join(source, agentA, 'agent')
    const claim = await authorEvent(source.log, agentA, 'task.claimed', AUTH_API, T0)
    const fresh = new EventLog({ room: source.genesis.id, verifier: testVerifier, now: source.clock.now })
    expect(await fresh.add(claim.bytes)).toMatchObject({ status: 'pending' })
    expect(await fresh.add(joined.bytes)).toMatchObject({ status: 'pending' })
    expect(fresh.missing()).toEqual([source.genesis.id])
    expect(await fresh.add(source.genesis.bytes)).toEqual({ status: 'accepted', id: source.genesis.id })
    expect(fresh.has(joined.id) && fresh.has(claim.id)).toBe(true)
    expect(fresh.pendingCount).toBe(0)
  })

  it('rejects malformed input and broken chains as malformed', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    expect(await room.log.add(new Uint8Array([1, 2, 3]))).toMatchObject({ status: 'rejected', reason: 'malformed' })
    const stale = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0, { lamport: 1 })
    expect(await room.log.add(stale)).toMatchObject({ status: 'rejected', reason: 'malformed', detail: 'lamport does not exceed prev' })
    const backwards = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0, { time: T0 - 1 })
    expect(await room.log.add(backwards)).toMatchObject({ status: 'rejected', reason: 'malformed' })
  })

  it('rejects a bad signature', async () => {
    const room = await makeRoom()
    const e = await forge(room.log, agentA, 'member.joined', { displayName: 'a', kind: 'agent', capabilities: [] }, T0)
    const sig = e.event.sig.slice()
    sig[0] ^= 1
    expect(await room.log.add({ ...e.event, sig } as SignedEvent)).toMatchObject({ status: 'rejected', reason: 'bad_signature' })
    // Someone else's key cannot sign in agentA's name either.
    const mallory = testSigner('mallory')
    const stolen = encodeEvent({ ...e.event, sig: await mallory.sign(signingBytes(e.event)) } as SignedEvent)
    expect(await room.log.add(stolen)).toMatchObject({ status: 'rejected', reason: 'bad_signature' })
  })

  it('rejects events and genesis of another room', async () => {
    const room = await makeRoom()
    const other = await makeRoom({ open: true })
    const joined = await join(other, agentA, 'agent')
    expect(await room.log.add(joined)).toMatchObject({ status: 'rejected', reason: 'wrong_room' })
    const otherGenesis = await makeRoom({ config: { escalationThreshold: 3 } })
    expect(await room.log.add(otherGenesis.genesis)).toMatchObject({ status: 'rejected', reason: 'wrong_room' })
  })

  it('rejects oversized input before decoding it', async () => {
    const room = await makeRoom()
    expect(await room.log.add(new Uint8Array(MAX_EVENT_BYTES + 1))).toMatchObject({ status: 'rejected', reason: 'oversized' })
  })

  it('rejects events of non-members and of members who left', async () => {
    const room = await makeRoom()
    const stranger = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0)
    expect(await room.log.add(stranger)).toMatchObject({ status: 'rejected', reason: 'not_member' })
    await join(room, agentB, 'agent')
    await authorEvent(room.log, agentB, 'member.left', {}, T0)
    const after = await forge(room.log, agentB, 'task.claimed', AUTH_API, T0)
    expect(await room.log.add(after)).toMatchObject({ status: 'rejected', reason: 'not_member' })
  })

  it('rejects kinds the role may not author', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    const rule = await forge(room.log, agentA, 'rule.added', { rule: { name: 'Docs', description: 'd', keywords: ['docs'] } }, T0)
    expect(await room.log.add(rule)).toMatchObject({ status: 'rejected', reason: 'role_not_allowed' })
    const observer = testSigner('observer')
    await join(room, observer, 'observer')
    const claim = await forge(room.log, observer, 'task.claimed', AUTH_API, T0)
    expect(await room.log.add(claim)).toMatchObject({ status: 'rejected', reason: 'role_not_allowed' })
  })

  it('rejects invalid invites: closed room, expired, tampered, or issued by a non-admin', async () => {
    const room = await makeRoom()
    const member = { displayName: 'a', kind: 'agent' as const, capabilities: [] }
    const none = await forge(room.log, agentA, 'member.joined', member, T0)
    expect(await room.log.add(none)).toMatchObject({ status: 'rejected', reason: 'invalid_invite' })

    const expired = await signInvite(inviteBody(room.genesis.id, room.owner, 'agent', { expires: T0 - 1 }), room.owner)
    const late = await forge(room.log, agentA, 'member.joined', { ...member, invite: expired }, T0)
    expect(await room.log.add(late)).toMatchObject({ status: 'rejected', reason: 'invalid_invite', detail: 'the invite has expired' })

    const good = await signInvite(inviteBody(room.genesis.id, room.owner, 'agent'), room.owner)
    const tampered = await forge(room.log, agentA, 'member.joined', { ...member, invite: { ...good, role: 'admin' } }, T0)
    expect(await room.log.add(tampered)).toMatchObject({ status: 'rejected', reason: 'invalid_invite' })

    const reviewerJoin = await join(room, reviewer, 'reviewer')
    const byReviewer = await signInvite(inviteBody(room.genesis.id, reviewer, 'agent', { issuerJoin: reviewerJoin.id }), reviewer)
    const e = await forge(room.log, agentB, 'member.joined', { ...member, invite: byReviewer }, T0)
    expect(await room.log.add(e)).toMatchObject({ status: 'rejected', reason: 'invalid_invite', detail: 'the issuer is not an admin' })
  })

  it('accepts invites from admins naming their join, and open-room joins as reviewer', async () => {
    const room = await makeRoom()
    const admin = testSigner('admin')
    const adminJoin = await join(room, admin, 'admin')
    const byAdmin = await join(room, agentA, 'agent', admin, { issuerJoin: adminJoin.id })
    expect(room.log.get(byAdmin.id)?.roleAfter).toBe('agent')

    const open = await makeRoom({ open: true })
    const j = await authorEvent(open.log, reviewer, 'member.joined', { displayName: 'r', kind: 'human', capabilities: [] }, T0)
    expect(open.log.get(j.id)?.roleAfter).toBe('reviewer')
  })

  it('rejects derived events that do not recompute', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    await join(room, agentB, 'agent')
    const a = await authorEvent(room.log, agentA, 'task.claimed', AUTH_API, T0)
    const b = await authorEvent(room.log, agentB, 'task.claimed', README_TYPO, T0)
    const dependency = { task1: 'auth-api', task2: 'readme-typo', relationship: 'API_Contract', confidence: 0.9, reason: 'made up' }
    const lie = await forge(room.log, agentA, 'dependency.detected', { dependency, claims: [a.id, b.id] }, T0)
    expect(await room.log.add(lie)).toMatchObject({ status: 'rejected', reason: 'derived_unverified' })

    const c = await authorEvent(room.log, agentB, 'task.claimed', LOGIN_PAGE, T0)
    const real = { ...dependency, task2: 'login-page', confidence: 0.72, reason: 'r' }
    const truth = await forge(room.log, agentA, 'dependency.detected', { dependency: real, claims: [a.id, c.id] }, T0)
    expect(await room.log.add(truth)).toMatchObject({ status: 'accepted' })
  })

  it('rejects events whose clock is too far ahead, and accepts them once it is not', async () => {
    const room = await makeRoom()
    const early = await forge(room.log, agentA, 'member.joined', { displayName: 'a', kind: 'agent', capabilities: [] }, T0 + 10 * 60_000, {
      payload: { displayName: 'a', kind: 'agent', capabilities: [], invite: await signInvite(inviteBody(room.genesis.id, room.owner, 'agent'), room.owner) },
    })
    expect(await room.log.add(early)).toMatchObject({ status: 'rejected', reason: 'clock_ahead' })
    room.clock.advance(6 * 60_000)
    expect(await room.log.add(early)).toMatchObject({ status: 'accepted' })
  })

  it('keeps equivocation as evidence and quarantines the author from the forked seq', async () => {
    const quarantined: [string, number][] = []
    const room = await makeRoom({ log: { onQuarantine: (a, s) => quarantined.push([a, s]) } })
    await join(room, agentA, 'agent')
    const one = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0)
    const two = await forge(room.log, agentA, 'task.claimed', LOGIN_PAGE, T0)
    expect(await room.log.add(one)).toMatchObject({ status: 'accepted' })
    expect(await room.log.add(two)).toMatchObject({ status: 'rejected', reason: 'equivocation', id: two.id })
    expect(room.log.has(two.id)).toBe(true)
    expect(quarantined).toEqual([[agentA.peerId, 2]])
    expect(room.log.idsAt(agentA.peerId, 2)).toEqual([one.id, two.id].sort())
  })

  it('bounds the pending buffer per author', async () => {
    const source = await makeRoom()
    await join(source, agentA, 'agent')
    const c1 = await authorEvent(source.log, agentA, 'task.claimed', AUTH_API, T0)
    const c2 = await authorEvent(source.log, agentA, 'task.claimed', LOGIN_PAGE, T0)
    const fresh = new EventLog({ room: source.genesis.id, verifier: testVerifier, now: source.clock.now, maxPendingPerAuthor: 1 })
    expect(await fresh.add(c1)).toMatchObject({ status: 'pending' })
    expect(await fresh.add(c2)).toMatchObject({ status: 'rejected', reason: 'pending_overflow' })
    expect(fresh.stats()).toMatchObject({ pending: 1, pending_overflow: 1 })
  })

  it('never throws on junk', async () => {
    const room = await makeRoom()
    for (const junk of [new Uint8Array(0), dagCbor.encode({ v: 1 }), dagCbor.encode([1, 2]), dagCbor.encode(null)]) {
      expect(await room.log.add(junk)).toMatchObject({ status: 'rejected', reason: 'malformed' })
    }
    expect(await room.log.add({ nonsense: true } as unknown as SignedEvent)).toMatchObject({ status: 'rejected' })
  })
})

describe('Lamport bound', () => {
  it('rejects a Lamport clock that jumps past its references as clock_ahead', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    const inflated = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0, { lamport: Number.MAX_SAFE_INTEGER - 1 })
    expect(await room.log.add(inflated)).toMatchObject({ status: 'rejected', reason: 'clock_ahead' })
    const honest = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0)
    expect(await room.log.add(honest)).toMatchObject({ status: 'accepted' })
  })
})

describe('EventLog init', () => {
  it('keeps defaults when options are passed as undefined', async () => {
    const room = await makeRoom()
    const log = new EventLog({ room: room.genesis.id, verifier: testVerifier, now: undefined, maxPendingPerAuthor: undefined })
    expect(await log.add(room.genesis)).toMatchObject({ status: 'accepted' })
    // The real clock is far past T0 + skew, so a genesis dated T0 is not "ahead".
    expect(log.stats().clock_ahead).toBe(0)
  })
})

describe('orphans that can never become valid', () => {
  it('are rejected before taking pending space', async () => {
    const source = await makeRoom()
    const fresh = new EventLog({ room: source.genesis.id, verifier: testVerifier, now: source.clock.now })
    const stranger = await forge(source.log, agentA, 'task.claimed', AUTH_API, T0)
    expect(await fresh.add(stranger)).toMatchObject({ status: 'rejected', reason: 'not_member' })
    const bad = await signInvite(inviteBody(source.genesis.id, source.owner, 'agent'), source.owner)
    const join = await forge(source.log, agentB, 'member.joined', { displayName: 'b', kind: 'agent', capabilities: [], invite: { ...bad, maxUses: 9999 } }, T0)
    expect(await fresh.add(join)).toMatchObject({ status: 'rejected', reason: 'invalid_invite' })
    expect(fresh.pendingCount).toBe(0)
  })
})

describe('events built on a rejected event', () => {
  it('are rejected with it and leave the pending buffer', async () => {
    const source = await makeRoom()
    await join(source, agentA, 'agent')
    // A rule.added by an agent is refused; the claim chained on it can never be valid.
    const bad = await forge(source.log, agentA, 'rule.added', { rule: { name: 'R', description: '', keywords: ['x'] } }, T0)
    const fresh = new EventLog({ room: source.genesis.id, verifier: testVerifier, now: source.clock.now })
    for (const e of source.log.all()) await fresh.add(e.bytes)
    const next = await forge(source.log, agentA, 'task.claimed', AUTH_API, T0, { seq: bad.event.seq + 1, prev: bad.id, lamport: bad.event.lamport + 1 })
    expect(await fresh.add(next)).toMatchObject({ status: 'pending', missing: [bad.id] })
    expect(await fresh.add(bad)).toMatchObject({ status: 'rejected', reason: 'role_not_allowed' })
    expect(fresh.pendingCount).toBe(0)
    expect(fresh.missing()).toEqual([])
    expect(fresh.stats().role_not_allowed).toBe(2)
  })
})

describe('signature malleability', () => {
  it('rejects S + L, the classic Ed25519 malleation (a different id for the same content)', async () => {
    const room = await makeRoom()
    await join(room, agentA, 'agent')
    const claim = await forge(room.log, agentA, 'task.claimed', AUTH_API, T0)
    const L = 2n ** 252n + 27742317777372353535851937790883648493n
    const sig = claim.event.sig
    let s = 0n
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i])
    let t = s + L
    const malleated = sig.slice()
    for (let i = 0; i < 32; i++) ((malleated[32 + i] = Number(t & 0xffn)), (t >>= 8n))
    expect(await room.log.add({ ...claim.event, sig: malleated } as SignedEvent)).toMatchObject({ status: 'rejected', reason: 'bad_signature' })
    expect(await room.log.add(claim)).toMatchObject({ status: 'accepted' })
    expect(room.log.quarantined().size).toBe(0)
  })
})
