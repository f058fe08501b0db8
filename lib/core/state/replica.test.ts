import { describe, expect, it } from 'vitest'
import { sessionIdOf } from '../sessions/ids'
import { planFor, replicaRoom } from '../testing/replica'
import { AUTH_API, LOGIN_PAGE, task } from '../testing/tasks'
import { selectInbox, selectOutcomes, selectSession, selectTasksByRepository } from './selectors'

const SESSION = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')

async function dependencySession(config = {}) {
  const room = await replicaRoom(config)
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  await room.replica.author(a, 'task.claimed', AUTH_API)
  await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
  expect(await room.emitDue(a)).toBe(1) // dependency.detected
  expect(await room.emitDue(b)).toBe(1) // session.opened
  expect(await room.emitDue(a)).toBe(0)
  return { room, a, b }
}

describe('Replica: sessions end to end', () => {
  it('detects a dependency, opens its session, and resolves it by consensus', async () => {
    const { room, a, b } = await dependencySession()
    const s = room.replica.state
    expect([...s.dependencies.values()].map((d) => d.dependency.relationship)).toEqual(['API_Contract'])
    expect(selectTasksByRepository(s).get('api')?.map((t) => t.task.taskId)).toEqual(['auth-api'])
    const session = selectSession(s, SESSION)
    expect(session).toMatchObject({ type: 'dependency', status: 'active', participants: [a.peerId, b.peerId] })

    await room.replica.author(a, 'plan.proposed', { session: SESSION, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(b, 'session.message', { session: SESSION, text: 'Sounds good to me' })
    expect(selectSession(room.replica.state, SESSION)?.agreed).toEqual([b.peerId])
    expect(await room.emitDue(a)).toBe(1)
    const resolved = selectSession(room.replica.state, SESSION)
    expect(resolved?.status).toBe('resolved')
    expect(resolved?.resolution).toMatchObject({ reason: 'consensus', strength: 0.5 })
    expect(selectOutcomes(room.replica.state)).toMatchObject([{ outcome: 'consensus', consensusReached: true, consensusStrength: 0.5 }])

    room.clock.advance(10 * 60_000)
    expect(await room.emitDue(a)).toBe(1)
    expect(selectSession(room.replica.state, SESSION)).toMatchObject({ status: 'closed', closeReason: 'inactivity', archived: true })
  })

  it('a concern after the latest plan blocks consensus; a new version needs new agreement', async () => {
    const { room, a, b } = await dependencySession()
    await room.replica.author(a, 'plan.proposed', { session: SESSION, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(b, 'session.message', { session: SESSION, text: 'I agree' })
    await room.replica.author(a, 'session.message', { session: SESSION, text: 'I have a concern about the token format' })
    expect(selectSession(room.replica.state, SESSION)?.consensus).toMatchObject({ reached: false, concerns: [a.peerId] })
    expect(await room.emitDue(a)).toBe(0)
    await room.replica.author(a, 'plan.proposed', { session: SESSION, version: 2, plan: planFor('auth-api', 'login-page', 'Agree token format first') })
    expect(selectSession(room.replica.state, SESSION)?.consensus).toMatchObject({ reached: false, agreeing: [] })
    await room.replica.author(b, 'session.message', { session: SESSION, text: 'looks good' })
    expect(await room.emitDue(b)).toBe(1)
    expect(selectSession(room.replica.state, SESSION)?.status).toBe('resolved')
  })

  it('escalates past the message limit; a reviewer claims, returns, and resolves it', async () => {
    const { room, a, b } = await dependencySession({ escalationThreshold: 3 })
    const reviewer = await room.member('rita', 'reviewer')
    for (let i = 0; i < 4; i++) await room.replica.author(i % 2 ? a : b, 'session.message', { session: SESSION, text: `Option ${i} is better` })
    expect(await room.emitDue(a)).toBe(1)
    expect(selectInbox(room.replica.state)).toMatchObject([{ session: SESSION, reason: 'message_limit', claimedBy: null }])

    await room.replica.author(reviewer, 'escalation.claimed', { session: SESSION })
    expect(selectInbox(room.replica.state)[0].claimedBy).toBe(reviewer.peerId)
    await room.replica.author(reviewer, 'escalation.returned', { session: SESSION, guidance: 'API first, please' })
    expect(selectSession(room.replica.state, SESSION)).toMatchObject({ status: 'active', messagesSinceActive: 0 })
    expect(selectInbox(room.replica.state)).toEqual([])

    await room.replica.author(a, 'session.escalated', { session: SESSION, reason: 'requested', note: 'still stuck' })
    await room.replica.author(reviewer, 'escalation.resolved', { session: SESSION, decision: 'auth-api ships first' })
    expect(selectOutcomes(room.replica.state)).toMatchObject([{ outcome: 'human_decision', escalated: true, decision: 'auth-api ships first' }])
  })

  it('escalates an active session after maxSessionDuration, counted from when someone other than its opener acted', async () => {
    const { room, a } = await dependencySession()
    room.clock.advance(5 * 60_000)
    // Nobody but the opener has touched it: its age rests on the opener's clock alone.
    expect(await room.emitDue(a)).toBe(0)
    await room.replica.author(a, 'plan.proposed', { session: SESSION, version: 1, plan: planFor('auth-api', 'login-page') })
    room.clock.advance(29 * 60_000)
    expect(await room.emitDue(a)).toBe(0)
    room.clock.advance(60_000)
    expect(await room.emitDue(a)).toBe(1)
    expect(selectInbox(room.replica.state)).toMatchObject([{ reason: 'duration' }])
  })

  it('starts the duration clock at any later event of another member that cites the opener', async () => {
    const { room, a, b } = await dependencySession()
    room.clock.advance(60_000)
    // b opened the session; a's next event (on another matter) cites b's chain in its deps.
    await room.replica.author(a, 'task.claimed', task('other', 'api', 'Rename the billing job'))
    expect(room.replica.state.sessions.get(SESSION)?.witnessedAt).toBe(room.clock.now())
    room.clock.advance(30 * 60_000)
    expect(await room.emitDue(b)).toBe(1)
  })

  it('opens a conflict session when two agents claim one task', async () => {
    const room = await replicaRoom()
    const a = await room.member('agent-a', 'agent')
    const b = await room.member('agent-b', 'agent')
    const shared = task('shared', 'api', 'Rewrite the billing job')
    await room.replica.author(a, 'task.claimed', shared)
    await room.replica.author(b, 'task.claimed', shared)
    expect(await room.emitDue(a)).toBe(1)
    expect(selectSession(room.replica.state, sessionIdOf('conflict', ['shared'], 'conflict'))).toMatchObject({ type: 'conflict', participants: [a.peerId, b.peerId] })
  })

  it('needs ⌊2n/3⌋+1 reviewer approvals in two-thirds mode', async () => {
    const { room, a } = await dependencySession({ approvalQuorum: 'two-thirds' })
    const r1 = await room.member('r1', 'reviewer')
    const r2 = await room.member('r2', 'reviewer')
    // Reviewers: owner, r1, r2 → n = 3, quorum = 3.
    await room.replica.author(a, 'plan.proposed', { session: SESSION, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(r1, 'plan.approved', { session: SESSION, version: 1 })
    await room.replica.author(r2, 'plan.approved', { session: SESSION, version: 1 })
    expect(selectSession(room.replica.state, SESSION)?.status).toBe('active')
    await room.replica.author(room.owner, 'plan.approved', { session: SESSION, version: 1 })
    expect(selectSession(room.replica.state, SESSION)?.resolution?.reason).toBe('approved')
  })

  it('ignores a stale plan version and a consensus claim that is no longer true at its position', async () => {
    const { room, a, b } = await dependencySession()
    await room.replica.author(a, 'plan.proposed', { session: SESSION, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(b, 'plan.proposed', { session: SESSION, version: 1, plan: planFor('login-page', 'auth-api') })
    expect(room.replica.state.ignored.get('stale_plan_version')).toBe(1)
    expect(selectSession(room.replica.state, SESSION)?.plans).toHaveLength(1)
  })
})

describe('Replica.author', () => {
  it('serializes overlapping calls so an author never forks itself', async () => {
    const room = await replicaRoom()
    const a = await room.member('agent-a', 'agent')
    // A signer that yields before signing, as libp2p keys do.
    const slow = { peerId: a.peerId, sign: async (b: Uint8Array) => (await new Promise((r) => setTimeout(r, 5)), a.sign(b)) }
    const [x, y] = await Promise.all([
      room.replica.author(slow, 'task.claimed', AUTH_API),
      room.replica.author(slow, 'task.claimed', LOGIN_PAGE),
    ])
    expect([x.event.seq, y.event.seq]).toEqual([2, 3])
    expect(room.replica.state.quarantined.size).toBe(0)
  })

  it('keeps serving after a refused call', async () => {
    const room = await replicaRoom()
    const a = await room.member('agent-a', 'agent')
    await expect(room.replica.author(a, 'rule.added', { rule: { name: 'R', description: '', keywords: ['x'] } })).rejects.toMatchObject({ reason: 'role_not_allowed' })
    await expect(room.replica.author(a, 'task.claimed', AUTH_API)).resolves.toMatchObject({ event: { seq: 2 } })
  })
})

describe('leaving', () => {
  it('releases the tasks a member held', async () => {
    const room = await replicaRoom()
    const a = await room.member('agent-a', 'agent')
    const b = await room.member('agent-b', 'agent')
    await room.replica.author(a, 'task.claimed', AUTH_API)
    await room.replica.author(a, 'task.claimed', LOGIN_PAGE)
    await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
    await room.replica.author(a, 'member.left', {})
    const s = room.replica.state
    expect(s.tasks.get('auth-api')?.status).toBe('released')
    expect(s.tasks.get('login-page')).toMatchObject({ status: 'claimed', claimedBy: b.peerId, claimants: [b.peerId] })
  })
})
