import { describe, expect, it } from 'vitest'
import { forge } from '../testing/forge'
import { replicaRoom } from '../testing/replica'
import { task } from '../testing/tasks'
import { templatePlan } from '../planner/template'
import { leaseOrder } from '../planner/lease'
import { due } from './due'
import { sessionIdOf } from './ids'
import { PATHS_RULE } from './path-conflict'

const withPaths = (id: string, repo: string, paths: string[]) => ({ ...task(id, repo, `Change ${id}`), paths })

describe('path conflicts', () => {
  it('two agents claiming overlapping paths in one repository open a conflict session that every peer verifies', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    await room.replica.author(a, 'task.claimed', withPaths('login-form', 'web', ['src/auth/**']))
    await room.replica.author(b, 'task.claimed', withPaths('session-timeout', 'web', ['src/auth/session.ts', 'README.md']))
    const found = due(room.replica.state, room.clock.now())
    const session = sessionIdOf('conflict', ['login-form', 'session-timeout'], PATHS_RULE)
    expect(found).toMatchObject([{ kind: 'session.opened', payload: { session, type: 'conflict', tasks: ['login-form', 'session-timeout'], rule: 'paths' } }])
    expect(await room.emitDue(a)).toBe(1)
    const s = room.replica.state.sessions.get(session)!
    expect(s.participants.sort()).toEqual([a.peerId, b.peerId].sort())
    expect(due(room.replica.state, room.clock.now())).toEqual([])
  })

  it('no session across repositories, for one agent holding both, or without overlap', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    await room.replica.author(a, 'task.claimed', withPaths('t1', 'web', ['src/auth/**']))
    await room.replica.author(b, 'task.claimed', withPaths('t2', 'api', ['src/auth/**']))
    await room.replica.author(a, 'task.claimed', withPaths('t3', 'web', ['src/auth/x.ts']))
    await room.replica.author(b, 'task.claimed', withPaths('t4', 'web', ['docs/**']))
    expect(due(room.replica.state, room.clock.now())).toEqual([])
  })

  it('a forged path conflict (paths that do not overlap) is rejected at admission', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    const c1 = await room.replica.author(a, 'task.claimed', withPaths('t1', 'web', ['src/a/**']))
    const c2 = await room.replica.author(b, 'task.claimed', withPaths('t2', 'web', ['src/b/**']))
    const forged = await forge(room.replica.log, a, 'session.opened', { session: sessionIdOf('conflict', ['t1', 't2'], PATHS_RULE), type: 'conflict', tasks: ['t1', 't2'], rule: PATHS_RULE, evidence: [c1.id, c2.id] }, room.clock.now())
    expect(await room.replica.add(forged)).toMatchObject({ status: 'rejected', reason: 'derived_unverified', detail: 'the paths do not overlap' })
  })

  it('the lease plan puts the holder first and the other after it', () => {
    const t1 = { ...withPaths('t1', 'web', ['src/auth/**']), agentId: 'a' }
    const t2 = { ...withPaths('t2', 'web', ['src/auth/login.ts']), agentId: 'b' }
    const plan = templatePlan({ sessionType: 'conflict', tasks: [t1, t2] })
    const [holder, waiting] = leaseOrder(['t1', 't2'])
    expect(plan.sequence).toEqual([
      expect.objectContaining({ taskId: holder, order: 1 }),
      expect.objectContaining({ taskId: waiting, order: 2, reason: expect.stringContaining(`Start once ${holder} is completed`) }),
    ])
    expect(plan.summary).toContain('src/auth/**')
    expect(templatePlan({ sessionType: 'conflict', tasks: [t2, t1] })).toEqual(plan)
  })
})
