import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sessionIdOf } from '@/lib/core/sessions/ids'
import { dependencySession, planFor, replicaRoom } from '@/lib/core/testing/replica'
import { INBOX_FILTERS } from '@/lib/stores/ui-inbox'
import { availability } from '@/components/session/permissions'
import { createInboxRows, inboxRows, step, unreadCount } from './inbox-model'

/** A room with two agents on dependent tasks, an opened session with a plan, escalated on request. */
async function escalatedRoom() {
  const room = await replicaRoom()
  const { ann, bob, session } = await dependencySession(room)
  const rob = await room.member('rob', 'reviewer')
  const eve = await room.member('eve', 'reviewer')
  const obs = await room.member('obs', 'observer')
  await room.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page', 'Ship the auth API before the login page') })
  room.clock.advance(1000)
  await room.replica.author(bob, 'session.escalated', { session, reason: 'requested', note: 'We disagree on the token format' })
  return { room, ann, rob, eve, obs, session }
}

/** True when every row of `part` is in `whole`, in the same order. */
function inOrder(part: { session: string }[], whole: { session: string }[]): boolean {
  let i = 0
  for (const r of part) {
    while (i < whole.length && whole[i].session !== r.session) i++
    if (i++ === whole.length) return false
  }
  return true
}

describe('inbox rows', () => {
  it('list an escalation with its note as summary and both repositories, oldest first', async () => {
    const { room, session } = await escalatedRoom()
    const a = await room.member('cat', 'agent')
    const other = sessionIdOf('planning', ['x'], 'later')
    await room.replica.author(a, 'session.opened', { session: other, type: 'planning', tasks: ['x'], rule: 'later', evidence: [] })
    room.clock.advance(1000)
    await room.replica.author(a, 'session.escalated', { session: other, reason: 'requested', note: 'second' })
    const rows = inboxRows(room.replica.state, 'open')
    expect(rows.map((r) => r.session)).toEqual([session, other])
    expect(rows[0]).toMatchObject({ reason: 'requested', summary: 'We disagree on the token format', repositories: ['api', 'web'], decided: false })
    expect(step(rows, session, 1)).toBe(other)
    expect(step(rows, other, 1)).toBe(other)
    expect(step(rows, null, 1)).toBe(session)
  })

  it('move a claimed item under "claimed" and a resolved one under "decided"; the badge counts unread open ones', async () => {
    const { room, rob, session } = await escalatedRoom()
    const s = room.replica.state
    expect(unreadCount(s, new Set())).toBe(1)
    expect(unreadCount(s, new Set([s.sessions.get(session)!.escalation!.event]))).toBe(0)
    await room.replica.author(rob, 'escalation.claimed', { session })
    expect(inboxRows(room.replica.state, 'claimed').map((r) => r.session)).toEqual([session])
    await room.replica.author(rob, 'escalation.resolved', { session, decision: 'Use JWT' })
    expect(inboxRows(room.replica.state, 'open')).toEqual([])
    expect(inboxRows(room.replica.state, 'decided')[0]).toMatchObject({ session, decided: true, status: 'resolved' })
    expect(inboxRows(room.replica.state, 'all')).toHaveLength(1)
    expect(unreadCount(room.replica.state, new Set())).toBe(0)
  })
})

describe('inbox rows kept across changes', () => {
  it('follow a claim, a new escalation and a decision like rows built afresh, and stay the same list while nothing changes', async () => {
    const { room, ann, rob, session } = await escalatedRoom()
    const rows = createInboxRows()
    const first = rows(room.replica.state, 'open')
    expect(first.map((r) => r.session)).toEqual([session])
    await room.replica.author(ann, 'task.claimed', { taskId: 'unrelated', projectId: 'e2e', repository: 'misc', title: 'Unrelated', description: '' })
    expect(rows(room.replica.state, 'open')).toBe(first)

    await room.replica.author(rob, 'escalation.claimed', { session })
    expect(rows(room.replica.state, 'open')[0]).toMatchObject({ session, claimedBy: rob.peerId })
    expect(rows(room.replica.state, 'claimed').map((r) => r.session)).toEqual([session])

    const a = await room.member('cat', 'agent')
    const other = sessionIdOf('planning', ['x'], 'later')
    await room.replica.author(a, 'session.opened', { session: other, type: 'planning', tasks: ['x'], rule: 'later', evidence: [] })
    room.clock.advance(1000)
    await room.replica.author(a, 'session.escalated', { session: other, reason: 'requested', note: 'second' })
    await room.replica.author(rob, 'escalation.resolved', { session, decision: 'Use JWT' })
    for (const f of ['open', 'claimed', 'decided', 'all'] as const) expect(rows(room.replica.state, f)).toEqual(inboxRows(room.replica.state, f))
    expect(rows(room.replica.state, 'open').map((r) => r.session)).toEqual([other])
    expect(rows(room.replica.state, 'decided')[0]).toMatchObject({ session, decided: true, status: 'resolved' })
  })
})

describe('inbox rows built a slice at a time', () => {
  it('show the rows built so far in order, and end equal to rows built at once through changes between slices', async () => {
    const { room, rob, session } = await escalatedRoom()
    const a = await room.member('cat', 'agent')
    const escalate = async (i: number) => {
      const other = sessionIdOf('planning', [`t${i}`], 'later')
      await room.replica.author(a, 'session.opened', { session: other, type: 'planning', tasks: [`t${i}`], rule: 'later', evidence: [] })
      room.clock.advance(10)
      await room.replica.author(a, 'session.escalated', { session: other, reason: 'requested', note: `n${i}` })
    }
    for (let i = 0; i < 70; i++) await escalate(i)
    // Every read of the clock moves it on: a slice of 0 ms ends at the first check.
    let t = 0
    const rows = createInboxRows({ ms: 0, clock: () => t++ })
    const sizes: number[] = []
    let shown = rows(room.replica.state, 'open')
    while (rows.unfinished && sizes.length < 20) {
      expect(inOrder(shown, inboxRows(room.replica.state, 'open'))).toBe(true)
      sizes.push(shown.length)
      if (sizes.length === 1) {
        await room.replica.author(rob, 'escalation.resolved', { session, decision: 'Use JWT' })
        await escalate(70)
      }
      shown = rows(room.replica.state, 'open')
    }
    expect(sizes.length).toBeGreaterThanOrEqual(2)
    expect(sizes[0]).toBeLessThan(40)
    expect(sizes).toEqual([...sizes].sort((x, y) => x - y))
    for (const f of ['open', 'claimed', 'decided', 'all'] as const) expect(rows(room.replica.state, f)).toEqual(inboxRows(room.replica.state, f))
    expect(rows(room.replica.state, 'open')).toHaveLength(71)
    expect(rows.unfinished).toBe(false)
  })
})

describe('inbox rows under any changes and slices', () => {
  /** One change to the room between two reads of the rows. */
  const change = fc.oneof(
    fc.constant({ op: 'escalate' as const }),
    fc.record({ op: fc.constantFrom('claim' as const, 'resolve' as const), pick: fc.nat() }),
    fc.constant({ op: 'reviewer' as const }),
  )

  it('end equal to rows built at once, for every filter, and show only rows in their final order meanwhile', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ change, filter: fc.constantFrom(...INBOX_FILTERS), reads: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps, ms, tick) => {
          // A quorum of two thirds of the reviewers: a reviewer joining changes every row's quorum.
          const room = await replicaRoom({ approvalQuorum: 'two-thirds' })
          const agent = await room.member('cat', 'agent')
          const rob = await room.member('rob', 'reviewer')
          const escalated: string[] = []
          let t = 0
          const rows = createInboxRows({ ms, clock: () => (t += tick) })
          for (const [i, { change: c, filter, reads }] of steps.entries()) {
            if (c.op === 'escalate') {
              const session = sessionIdOf('planning', [`t${i}`], 'later')
              await room.replica.author(agent, 'session.opened', { session, type: 'planning', tasks: [`t${i}`], rule: 'later', evidence: [] })
              room.clock.advance(10)
              await room.replica.author(agent, 'session.escalated', { session, reason: 'requested', note: `n${i}` })
              escalated.push(session)
            } else if (c.op === 'reviewer') await room.member(`r${i}`, 'reviewer')
            else if (escalated.length > 0) {
              const [session] = escalated.splice(c.pick % escalated.length, 1)
              if (c.op === 'claim') (await room.replica.author(rob, 'escalation.claimed', { session }), escalated.push(session))
              else await room.replica.author(rob, 'escalation.resolved', { session, decision: `d${i}` })
            }
            for (let r = 0; r < reads; r++) {
              const shown = rows(room.replica.state, filter)
              const whole = inboxRows(room.replica.state, filter)
              expect(new Set(shown.map((x) => x.session)).size).toBe(shown.length)
              expect(inOrder(shown, whole)).toBe(true)
            }
          }
          for (let n = 0; n < 1000 && (rows(room.replica.state, 'all'), rows.unfinished); n++);
          for (const f of INBOX_FILTERS) expect(rows(room.replica.state, f)).toEqual(inboxRows(room.replica.state, f))
        },
      ),
      { numRuns: 40, endOnFailure: true },
    )
  }, 120_000)
})

describe('action availability', () => {
  it('disables actions for guests and observers with a reason, and shows a claim by someone else', async () => {
    const { room, rob, eve, obs, session } = await escalatedRoom()
    const x = () => room.replica.state.sessions.get(session)!
    expect(availability('approve', x(), { role: null })).toMatchObject({ ok: false, reason: expect.stringMatching(/guest/) })
    expect(availability('resolve', x(), { peerId: obs.peerId, role: 'observer' })).toMatchObject({ ok: false, reason: expect.stringMatching(/observer/) })
    expect(availability('approve', x(), { peerId: rob.peerId, role: 'reviewer' })).toEqual({ ok: true })
    await room.replica.author(eve, 'escalation.claimed', { session })
    const names = (p: string) => (p === eve.peerId ? 'eve' : p)
    expect(availability('claim', x(), { peerId: rob.peerId, role: 'reviewer' }, names)).toEqual({ ok: false, reason: 'Already claimed by eve.' })
    expect(availability('resolve', x(), { peerId: rob.peerId, role: 'reviewer' }, names)).toEqual({ ok: true, note: 'eve is working on this.' })
    expect(availability('release', x(), { peerId: eve.peerId, role: 'reviewer' })).toEqual({ ok: true })
    await room.replica.author(rob, 'plan.approved', { session, version: 1 })
    expect(x().status).toBe('resolved')
    expect(availability('approve', x(), { peerId: eve.peerId, role: 'reviewer' })).toMatchObject({ ok: false })
    expect(availability('return', x(), { peerId: eve.peerId, role: 'reviewer' })).toMatchObject({ ok: false, reason: expect.stringMatching(/escalated/) })
  })
})
