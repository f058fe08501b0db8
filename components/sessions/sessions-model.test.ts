import { describe, expect, it } from 'vitest'
import { selectSessions, selectTimeline } from '@/lib/core'
import { dependencySession, planFor, replicaRoom } from '@/lib/core/testing/replica'
import { filterSessions } from './sessions-model'
import { timelineRows } from './timeline-model'

describe('sessions model', () => {
  it('filters by type, state and repository, and groups message runs by author in the timeline', async () => {
    const room = await replicaRoom()
    const { ann, bob } = await dependencySession(room)
    const s = room.replica.state
    const [x] = selectSessions(s)
    expect(filterSessions(s, selectSessions(s), { type: 'dependency', status: 'active', repository: 'web', archived: false }).map((v) => v.id)).toEqual([x.id])
    expect(filterSessions(s, selectSessions(s), { type: '', status: '', repository: 'docs', archived: false })).toEqual([])
    expect(filterSessions(s, selectSessions(s), { type: '', status: 'escalated', repository: '', archived: false })).toEqual([])
    const closed = [{ ...x, status: 'closed' as const, archived: true }]
    expect(filterSessions(s, closed, { type: '', status: '', repository: '', archived: false })).toEqual([])
    expect(filterSessions(s, closed, { type: '', status: '', repository: '', archived: true })).toHaveLength(1)
    expect(filterSessions(s, closed, { type: '', status: 'closed', repository: '', archived: false })).toHaveLength(1)

    await room.replica.author(ann, 'plan.proposed', { session: x.id, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(bob, 'session.message', { session: x.id, text: 'what about refresh?', type: 'question' })
    await room.replica.author(bob, 'session.message', { session: x.id, text: 'looks good', type: 'agreement' })
    await room.replica.author(ann, 'session.message', { session: x.id, text: 'agreed', type: 'agreement' })
    const rows = timelineRows(selectTimeline(room.replica.state, x.id))
    // The author is named where it changes: bob's two messages under one name, then ann.
    expect(rows.map((r) => (r.kind === 'entry' ? `${r.entry.type}${r.showAuthor ? '+author' : ''}` : 'collapsed'))).toEqual(['opened', 'plan', 'message+author', 'message', 'message+author'])
  })
})
