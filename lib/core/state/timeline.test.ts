import { describe, expect, it } from 'vitest'
import { sessionIdOf } from '../sessions/ids'
import { planFor, replicaRoom } from '../testing/replica'
import { selectTimeline } from './timeline'

describe('selectTimeline', () => {
  it('lists opened, plan versions, messages, escalation, human decisions and the end, in causal order', async () => {
    const room = await replicaRoom()
    const a = await room.member('ann', 'agent')
    const r = await room.member('rob', 'reviewer')
    const session = sessionIdOf('planning', ['t'], 'topic')
    await room.replica.author(a, 'session.opened', { session, type: 'planning', tasks: ['t'], rule: 'topic', evidence: [] })
    await room.replica.author(a, 'plan.proposed', { session, version: 1, plan: planFor('t', 't') })
    await room.replica.author(a, 'session.message', { session, text: 'Is this right?' })
    await room.replica.author(a, 'session.escalated', { session, reason: 'requested', note: 'unsure' })
    await room.replica.author(r, 'escalation.claimed', { session })
    await room.replica.author(r, 'plan.edited', { session, version: 2, plan: planFor('t', 't', 'Better plan') })
    await room.replica.author(r, 'plan.approved', { session, version: 2 })
    // Events the fold ignores (an approval of a stale version) do not appear.
    await room.replica.author(room.owner, 'plan.approved', { session, version: 1 })
    expect(room.replica.state.ignored.get('session_settled')).toBe(1)
    await room.replica.author(a, 'session.message', { session, text: 'Thanks' })
    const t = selectTimeline(room.replica.state, session)
    expect(t.map((e) => e.type)).toEqual(['opened', 'plan', 'message', 'escalated', 'decision', 'plan', 'decision', 'message'])
    expect(t[2]).toMatchObject({ type: 'message', message: { type: 'question' } })
    expect(t[5]).toMatchObject({ type: 'plan', plan: { version: 2, by: 'human' } })
    expect(t[6]).toMatchObject({ type: 'decision', decision: { kind: 'approved' }, by: r.peerId })
    expect(selectTimeline(room.replica.state, sessionIdOf('planning', ['x'], 'none'))).toEqual([])
  })
})
