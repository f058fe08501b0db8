import { describe, expect, it } from 'vitest'
import { replicaRoom } from '../testing/replica'
import { AUTH_API, LOGIN_PAGE, README_TYPO, task } from '../testing/tasks'
import { DependencyCache } from './dependency-cache'
import { due } from './due'

describe('due', () => {
  it('is empty for unrelated tasks and for a pair in one repository', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    await room.replica.author(a, 'task.claimed', AUTH_API)
    await room.replica.author(b, 'task.claimed', README_TYPO)
    await room.replica.author(b, 'task.claimed', { ...LOGIN_PAGE, repository: 'api' })
    expect(due(room.replica.state, room.clock.now())).toEqual([])
  })

  it('announces a custom-rule dependency naming the rule event', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    const rule = await room.replica.author(room.owner, 'rule.added', { rule: { name: 'Billing_Link', description: 'billing', keywords: ['invoice'] } })
    await room.replica.author(a, 'task.claimed', task('inv1', 'billing', 'Generate invoice PDFs'))
    await room.replica.author(b, 'task.claimed', task('inv2', 'web', 'Show invoice history'))
    const found = due(room.replica.state, room.clock.now())
    expect(found).toMatchObject([{ kind: 'dependency.detected', payload: { dependency: { relationship: 'Billing_Link' }, rule: rule.id } }])
    // And the log accepts it: the custom rule recomputes from the referenced rule event.
    expect(await room.emitDue(a)).toBe(1)
    expect(room.replica.state.dependencies.size).toBe(1)
  })

  it('stops proposing what has been emitted (emitting twice is harmless)', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    await room.replica.author(a, 'task.claimed', AUTH_API)
    await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
    const [d] = due(room.replica.state, room.clock.now())
    await room.replica.author(a, d.kind, d.payload)
    await room.replica.author(b, d.kind, d.payload)
    expect(room.replica.state.dependencies.size).toBe(1)
    expect(room.replica.state.ignored.get('duplicate_dependency')).toBe(1)
    expect(due(room.replica.state, room.clock.now()).map((x) => x.kind)).toEqual(['session.opened'])
  })
})

describe('due with a DependencyCache', () => {
  it('matches a fresh computation through claims, re-claims, releases and rule changes', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    const cache = new DependencyCache()
    const same = () => expect(due(room.replica.state, room.clock.now(), cache)).toEqual(due(room.replica.state, room.clock.now()))
    same()
    await room.replica.author(a, 'task.claimed', AUTH_API)
    await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
    same()
    expect(due(room.replica.state, room.clock.now(), cache)).toHaveLength(1)
    await room.replica.author(b, 'task.claimed', { ...LOGIN_PAGE, title: 'Polish the README', description: '' })
    same()
    expect(due(room.replica.state, room.clock.now(), cache)).toHaveLength(0)
    await room.replica.author(b, 'task.claimed', task('inv2', 'web', 'Show invoice history'))
    await room.replica.author(a, 'task.claimed', task('inv1', 'billing', 'Generate invoice PDFs'))
    const rule = await room.replica.author(room.owner, 'rule.added', { rule: { name: 'Billing_Link', description: 'billing', keywords: ['invoice'] } })
    same()
    expect(due(room.replica.state, room.clock.now(), cache).map((d) => d.kind === 'dependency.detected' && d.payload.rule)).toContain(rule.id)
    await room.replica.author(room.owner, 'rule.removed', { name: 'Billing_Link' })
    await room.replica.author(a, 'task.released', { taskId: 'auth-api' })
    same()
  })
})

describe('due payloads', () => {
  it('leaves out what the event schema would refuse', async () => {
    const room = await replicaRoom()
    const a = await room.member('a', 'agent')
    const b = await room.member('b', 'agent')
    await room.replica.author(a, 'task.claimed', AUTH_API)
    await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
    const real = new DependencyCache().dependencies(room.replica.state)
    expect(real).toHaveLength(1)
    // Rules that explain a dependency at a length no event may carry.
    const verbose = Object.assign(new DependencyCache(), { dependencies: () => [{ ...real[0], reason: 'x'.repeat(5000) }] })
    expect(due(room.replica.state, room.clock.now(), verbose)).toEqual([])
    expect(due(room.replica.state, room.clock.now())).toHaveLength(1)
  })
})
