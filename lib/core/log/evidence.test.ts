import { describe, expect, it } from 'vitest'
import { sessionIdOf } from '../sessions/ids'
import { testSigner } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { planFor } from '../testing/replica'
import { join, makeRoom, T0 } from '../testing/room'
import { AUTH_API, LOGIN_PAGE, task } from '../testing/tasks'
import { authorEvent } from './author'

const a = testSigner('agent-a')
const b = testSigner('agent-b')
const SHARED = task('shared', 'api', 'Rewrite the billing job')

async function setup() {
  const room = await makeRoom()
  await join(room, a, 'agent')
  await join(room, b, 'agent')
  const ca = await authorEvent(room.log, a, 'task.claimed', AUTH_API, T0)
  const cb = await authorEvent(room.log, b, 'task.claimed', LOGIN_PAGE, T0)
  const dependency = { task1: 'auth-api', task2: 'login-page', relationship: 'API_Contract', confidence: 0.6, reason: 'r' }
  const dep = await authorEvent(room.log, a, 'dependency.detected', { dependency, claims: [ca.id, cb.id] }, T0)
  const session = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')
  const opened = await authorEvent(room.log, b, 'session.opened', { session, type: 'dependency', tasks: ['auth-api', 'login-page'], rule: 'API_Contract', evidence: [dep.id] }, T0)
  return { room, ca, cb, dep, session, opened }
}

const rejected = (detail?: string) => ({ status: 'rejected', reason: 'derived_unverified', ...(detail ? { detail } : {}) })

describe('derived events are admitted only if they recompute from their evidence', () => {
  it('session.opened: id, task order, evidence kind and match', async () => {
    const { room, dep, ca } = await setup()
    const tasks = ['auth-api', 'login-page']
    const wrongId = sessionIdOf('dependency', tasks, 'Database_Schema')
    const add = async (p: Parameters<typeof authorEvent<'session.opened'>>[3]) => room.log.add(await forge(room.log, a, 'session.opened', p, T0))
    expect(await add({ session: wrongId, type: 'dependency', tasks, rule: 'API_Contract', evidence: [dep.id] })).toMatchObject(rejected('session id does not recompute'))
    const reversed = ['login-page', 'auth-api']
    expect(await add({ session: sessionIdOf('dependency', reversed, 'API_Contract'), type: 'dependency', tasks: reversed, rule: 'API_Contract', evidence: [dep.id] })).toMatchObject(rejected('tasks must be sorted and distinct'))
    const other = sessionIdOf('dependency', tasks, 'Database_Schema')
    expect(await add({ session: other, type: 'dependency', tasks, rule: 'Database_Schema', evidence: [dep.id] })).toMatchObject(rejected('the dependency does not match the session'))
    expect(await add({ session: sessionIdOf('dependency', tasks, 'API_Contract'), type: 'dependency', tasks, rule: 'API_Contract', evidence: [ca.id] })).toMatchObject(rejected())
  })

  it('session.opened conflict: needs two claims of one task by two agents', async () => {
    const { room } = await setup()
    const s1 = await authorEvent(room.log, a, 'task.claimed', SHARED, T0)
    const s1again = await authorEvent(room.log, a, 'task.claimed', SHARED, T0)
    const session = sessionIdOf('conflict', ['shared'], 'conflict')
    const e = await forge(room.log, a, 'session.opened', { session, type: 'conflict', tasks: ['shared'], rule: 'conflict', evidence: [s1.id, s1again.id] }, T0)
    expect(await room.log.add(e)).toMatchObject(rejected('both claims are by one agent'))
    const s2 = await authorEvent(room.log, b, 'task.claimed', SHARED, T0)
    const ok = await forge(room.log, a, 'session.opened', { session, type: 'conflict', tasks: ['shared'], rule: 'conflict', evidence: [s1.id, s2.id] }, T0)
    expect(await room.log.add(ok)).toMatchObject({ status: 'accepted' })
  })

  it('session.escalated: message limit and duration must really be exceeded', async () => {
    const { room, session, opened } = await setup()
    const m1 = await authorEvent(room.log, a, 'session.message', { session, text: 'x' }, T0)
    const m2 = await authorEvent(room.log, b, 'session.message', { session, text: 'y' }, T0)
    const few = await forge(room.log, a, 'session.escalated', { session, reason: 'message_limit', threshold: 2, opened: opened.id, messages: [m1.id, m2.id] }, T0)
    expect(await room.log.add(few)).toMatchObject(rejected('not more messages than the threshold'))
    const repeated = await forge(room.log, a, 'session.escalated', { session, reason: 'message_limit', threshold: 2, opened: opened.id, messages: [m1.id, m2.id, m1.id] }, T0)
    expect(await room.log.add(repeated)).toMatchObject(rejected('messages repeat'))
    const young = await forge(room.log, a, 'session.escalated', { session, reason: 'duration', maxDurationMs: 60_000, opened: opened.id }, T0 + 59_999)
    room.clock.advance(60_000)
    expect(await room.log.add(young)).toMatchObject(rejected('the session is not that old'))
    const old = await forge(room.log, a, 'session.escalated', { session, reason: 'duration', maxDurationMs: 60_000, opened: opened.id }, T0 + 60_000)
    expect(await room.log.add(old)).toMatchObject({ status: 'accepted' })
  })

  it('session.resolved: agreements must follow the plan and come from enough participants', async () => {
    const { room, session } = await setup()
    const early = await authorEvent(room.log, b, 'session.message', { session, text: 'I agree' }, T0)
    const plan = await authorEvent(room.log, a, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page') }, T0)
    const payload = { session, reason: 'consensus' as const, plan: plan.id, participants: 2 }
    expect(await room.log.add(await forge(room.log, a, 'session.resolved', { ...payload, agreements: [early.id] }, T0))).toMatchObject(rejected('an agreement precedes the plan'))
    const question = await authorEvent(room.log, b, 'session.message', { session, text: 'Why?' }, T0)
    expect(await room.log.add(await forge(room.log, a, 'session.resolved', { ...payload, agreements: [question.id] }, T0))).toMatchObject(rejected('a message is not an agreement'))
    const yes = await authorEvent(room.log, b, 'session.message', { session, text: 'Sounds good' }, T0)
    expect(await room.log.add(await forge(room.log, a, 'session.resolved', { ...payload, participants: 3, agreements: [yes.id] }, T0))).toMatchObject(rejected('too few distinct participants agree'))
    expect(await room.log.add(await forge(room.log, a, 'session.resolved', { ...payload, agreements: [yes.id] }, T0))).toMatchObject({ status: 'accepted' })
  })

  it('waits (pending) for evidence it does not have yet', async () => {
    const { room } = await setup()
    const missing = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    const session = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')
    const e = await forge(room.log, a, 'session.opened', { session, type: 'dependency', tasks: ['auth-api', 'login-page'], rule: 'API_Contract', evidence: [missing] }, T0)
    expect(await room.log.add(e)).toMatchObject({ status: 'pending', missing: [missing] })
    expect(room.log.missing()).toContain(missing)
  })
})

describe('causality of evidence', () => {
  it('rejects a derived event whose Lamport clock does not exceed its evidence', async () => {
    const room = await makeRoom()
    const c = testSigner('agent-c')
    await join(room, a, 'agent')
    await join(room, b, 'agent')
    await join(room, c, 'agent')
    const ca = await authorEvent(room.log, a, 'task.claimed', AUTH_API, T0)
    const cb = await authorEvent(room.log, b, 'task.claimed', LOGIN_PAGE, T0)
    const dependency = { task1: 'auth-api', task2: 'login-page', relationship: 'API_Contract', confidence: 0.6, reason: 'r' }
    // c's prev (its join) is older than the claims, but the claimed clock does not exceed cb's.
    const early = await forge(room.log, c, 'dependency.detected', { dependency, claims: [ca.id, cb.id] }, T0, { lamport: cb.event.lamport, deps: [] })
    expect(await room.log.add(early)).toMatchObject({ status: 'rejected', reason: 'malformed', detail: 'lamport does not exceed a referenced event' })
    const fine = await forge(room.log, c, 'dependency.detected', { dependency, claims: [ca.id, cb.id] }, T0, { lamport: cb.event.lamport + 1, deps: [] })
    expect(await room.log.add(fine)).toMatchObject({ status: 'accepted' })
  })
})
