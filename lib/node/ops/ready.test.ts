import { describe, expect, it } from 'vitest'
import type { PeerId } from '../../core/ids'
import { selectSession } from '../../core/state/selectors'
import { planFor, replicaRoom } from '../../core/testing/replica'
import { AUTH_API, LOGIN_PAGE } from '../../core/testing/tasks'
import { HOT_ENTITY_TASKS } from '../../core/rules/room'
import { task } from '../../core/testing/tasks'
import { preview, readiness } from './ready'
import { expectedOf } from './views'

async function dependencyRoom() {
  const room = await replicaRoom()
  const a = await room.member('api', 'agent')
  const b = await room.member('web', 'agent')
  await room.replica.author(a, 'task.claimed', AUTH_API)
  await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
  while ((await room.emitDue(a)) > 0);
  const session = [...room.replica.state.sessions.values()][0]
  return { room, a, b, id: session.id }
}

describe('ready and what is expected', () => {
  it('follows a dependency session from no plan to resolution to completion', async () => {
    const { room, a, b, id } = await dependencyRoom()
    const view = () => selectSession(room.replica.state, id)!
    const state = () => room.replica.state
    expect(readiness(state(), 'login-page')).toMatchObject({ ready: false, waitFor: [{ taskId: null, session: id }] })
    expect(expectedOf(state(), view(), b.peerId as PeerId)).toMatch(/^Wait for the plan/)

    const plan = await room.replica.author(a, 'plan.proposed', { session: id, version: 1, plan: planFor('auth-api', 'login-page') })
    expect(expectedOf(state(), view(), b.peerId as PeerId)).toMatch(/^Reply to plan v1/)
    await room.replica.author(a, 'session.message', { session: id, type: 'agreement', text: 'Agreed.', re: plan.id })
    expect(expectedOf(state(), view(), a.peerId as PeerId)).toMatch(/^Nothing: you agreed with v1; waiting for web/)
    await room.replica.author(b, 'session.message', { session: id, type: 'agreement', text: 'Agreed.', re: plan.id })
    while ((await room.emitDue(a)) > 0);
    expect(view().status).toBe('resolved')
    expect(expectedOf(state(), view(), b.peerId as PeerId)).toMatch(/^Settled \(consensus\)\. Follow the plan: ask ready for login-page/)

    expect(readiness(state(), 'auth-api')).toMatchObject({ ready: true, text: 'Go: nothing has to finish before auth-api.' })
    expect(readiness(state(), 'login-page')).toMatchObject({ ready: false, text: 'Wait for auth-api.', waitFor: [{ taskId: 'auth-api', session: id }] })
    await room.replica.author(a, 'task.completed', { taskId: 'auth-api' })
    expect(readiness(state(), 'login-page')).toMatchObject({ ready: true, waitFor: [] })
  })

  it('a released first task no longer blocks; an escalation waits for a reviewer', async () => {
    const { room, a, b, id } = await dependencyRoom()
    await room.replica.author(a, 'plan.proposed', { session: id, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(b, 'session.escalated', { session: id, reason: 'requested', note: 'who owns the error codes?' })
    expect(expectedOf(room.replica.state, selectSession(room.replica.state, id)!, a.peerId as PeerId)).toMatch(/^Wait for a reviewer: the session is escalated \(requested\)/)
    const reviewer = await room.member('rev', 'reviewer')
    await room.replica.author(reviewer, 'escalation.resolved', { session: id, decision: 'api first' })
    expect(expectedOf(room.replica.state, selectSession(room.replica.state, id)!, b.peerId as PeerId)).toMatch(/a reviewer decided: "api first"/)
    expect(readiness(room.replica.state, 'login-page').ready).toBe(false)
    await room.replica.author(a, 'task.released', { taskId: 'auth-api' })
    expect(readiness(room.replica.state, 'login-page').ready).toBe(true)
  })

  it('previews the dependencies the room will announce: a word held by too many tasks links nothing by itself', async () => {
    const room = await replicaRoom()
    const a = await room.member('web', 'agent')
    const me = (await room.member('api', 'agent')).peerId as PeerId
    const api = task('orders-api', 'api', 'Define orders API')
    const linked = () => preview(room.replica.state, api, me).dependencies.map((d) => d.other.taskId).sort()
    for (let i = 0; i < 3; i++) await room.replica.author(a, 'task.claimed', task(`page-${i}`, `web-${i}`, `Implement orders page ${i}`))
    expect(linked()).toEqual(['page-0', 'page-1', 'page-2'])
    // With the orders API itself, more than HOT_ENTITY_TASKS tasks would hold "order".
    for (let i = 3; i < HOT_ENTITY_TASKS; i++) await room.replica.author(a, 'task.claimed', task(`page-${i}`, `web-${i}`, `Implement orders page ${i}`))
    expect(linked()).toEqual([])
    // A rarer entity still links.
    await room.replica.author(a, 'task.claimed', task('history-page', 'web-h', 'Implement orders history page'))
    expect(linked()).toEqual([])
    expect(preview(room.replica.state, task('history-api', 'api', 'Define orders history API'), me).dependencies.map((d) => d.other.taskId)).toEqual(['history-page'])
  })
})
