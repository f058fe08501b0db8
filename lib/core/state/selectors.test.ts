import { describe, expect, it } from 'vitest'
import { sessionIdOf } from '../sessions/ids'
import { replicaRoom } from '../testing/replica'
import { AUTH_API, LOGIN_PAGE } from '../testing/tasks'
import { selectDependencies, selectInbox, selectMembers, selectOutcomes, outcomesNdjson, selectRole, selectRoom, selectSessions } from './selectors'

describe('selectors', () => {
  it('list members with roles, and the room configuration', async () => {
    const room = await replicaRoom({ escalationThreshold: 4 })
    const a = await room.member('ann', 'agent')
    const r = await room.member('rob', 'reviewer')
    expect(selectMembers(room.replica.state).map((m) => [m.displayName, m.role])).toEqual([
      ['ann', 'agent'],
      ['Owner', 'owner'],
      ['rob', 'reviewer'],
    ])
    expect(selectRole(room.replica.state, r.peerId)).toBe('reviewer')
    await room.replica.author(a, 'member.left', {})
    expect(selectRole(room.replica.state, a.peerId)).toBeNull()
    expect(selectRoom(room.replica.state).config).toMatchObject({ escalationThreshold: 4, maxParticipants: 5 })
  })

  it('order the inbox oldest first and export outcomes as NDJSON', async () => {
    const room = await replicaRoom()
    const a = await room.member('ann', 'agent')
    const r = await room.member('rob', 'reviewer')
    const open = async (topic: string) => {
      const session = sessionIdOf('planning', ['t'], topic)
      await room.replica.author(a, 'session.opened', { session, type: 'planning', tasks: ['t'], rule: topic, evidence: [] })
      return session
    }
    const s1 = await open('one')
    const s2 = await open('two')
    await room.replica.author(a, 'session.escalated', { session: s2, reason: 'requested', note: 'first' })
    room.clock.advance(1000)
    await room.replica.author(a, 'session.escalated', { session: s1, reason: 'requested', note: 'second' })
    expect(selectInbox(room.replica.state).map((i) => [i.session, i.note])).toEqual([
      [s2, 'first'],
      [s1, 'second'],
    ])
    await room.replica.author(r, 'escalation.resolved', { session: s2, decision: 'do it' })
    expect(selectInbox(room.replica.state).map((i) => i.session)).toEqual([s1])
    expect(selectOutcomes(room.replica.state)).toMatchObject([{ session: s2, outcome: 'human_decision', consensusReached: false }])
    const lines = outcomesNdjson(room.replica.state).trim().split('\n')
    expect(lines.map((l) => JSON.parse(l).session)).toEqual([s2])
    expect(selectSessions(room.replica.state, { active: true })).toHaveLength(2)
  })
})

describe('selectDependencies', () => {
  it('keeps released tasks out of the current graph but in history', async () => {
    const room = await replicaRoom()
    const a = await room.member('ann', 'agent')
    const b = await room.member('bob', 'agent')
    await room.replica.author(a, 'task.claimed', AUTH_API)
    await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
    await room.emitDue(a)
    expect(selectDependencies(room.replica.state, { current: true })).toHaveLength(1)
    await room.replica.author(b, 'task.released', { taskId: 'login-page' })
    expect(selectDependencies(room.replica.state, { current: true })).toEqual([])
    expect(selectDependencies(room.replica.state)).toHaveLength(1)
  })
})
