import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planFor, replicaRoom } from '../testing/replica'
import { AUTH_API, LOGIN_PAGE } from '../testing/tasks'

/**
 * The fold reads each event against the state folded before it, in (lamport, id) order. An event
 * is written against everything its author held, so it must fold after all of it — however fast
 * another member wrote just before.
 */
describe('an authored event folds after everything its author held', () => {
  it('a reviewer approval of a plan counts although the plan author wrote a burst since', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    const bob = await room.member('bob', 'agent')
    const rev = await room.member('rev', 'reviewer')
    await room.replica.author(ann, 'task.claimed', AUTH_API)
    await room.replica.author(bob, 'task.claimed', LOGIN_PAGE)
    await room.emitDue(bob)
    await room.emitDue(bob)
    const session = [...room.replica.state.sessions.keys()][0]
    await room.replica.author(bob, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page') })
    // Bob goes on writing faster than 100 events/s by its clock (the clock does not move).
    for (let i = 0; i < 10; i++) await room.replica.author(bob, 'task.claimed', { taskId: `chore-${i}`, projectId: 'p', repository: `repo-${i}`, title: `Unrelated chore ${i}`, description: '' })
    await room.replica.author(rev, 'plan.approved', { session, version: 1 })
    expect(room.replica.state.sessions.get(session)!.approvals).toEqual([rev.peerId])
    expect([...room.replica.state.ignored]).toEqual([])
  })

  it('a revocation written after a burst cuts the member after everything its author saw', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    for (let i = 0; i < 9; i++) await room.replica.author(ann, 'task.claimed', { taskId: `t${i}`, projectId: 'p', repository: `r${i}`, title: `Task ${i}`, description: '' })
    room.clock.advance(60_000)
    await room.replica.author(room.owner, 'member.revoked', { member: ann.peerId })
    // The claims were made while ann was a member, and the owner saw them all: they stand.
    expect([...room.replica.state.tasks.keys()].sort()).toEqual(Array.from({ length: 9 }, (_, i) => `t${i}`).sort())
  })

  it('whatever the authors and their paces (fast-check)', async () => {
    let bursts = 0
    const burst = fc.record({ who: fc.integer({ min: 0, max: 2 }), count: fc.integer({ min: 1, max: 16 }), gapMs: fc.integer({ min: 0, max: 30 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(burst, { minLength: 1, maxLength: 6 }), async (plan) => {
        const room = await replicaRoom()
        const agents = [await room.member('a0', 'agent'), await room.member('a1', 'agent'), await room.member('a2', 'agent')]
        const last = await room.member('a3', 'agent')
        // Faster than 100 events/s for 9 events or more: what a budget-sized burst looks like.
        if (plan.some((b) => b.count >= 9 && b.gapMs < 10)) bursts++
        for (const { who, count, gapMs } of plan) {
          for (let i = 0; i < count; i++) {
            room.clock.advance(gapMs)
            const n = room.replica.log.size
            await room.replica.author(agents[who], 'task.claimed', { taskId: `t${n}`, projectId: 'p', repository: `r${n % 5}`, title: `Task ${n}`, description: '' })
          }
        }
        const highest = room.replica.log.maxLamport
        const enc = await room.replica.author(last, 'task.claimed', { taskId: 'review', projectId: 'p', repository: 'docs', title: 'Review the docs', description: '' })
        expect(room.replica.log.get(enc.id)!.event.lamport).toBeGreaterThan(highest)
      }),
      { numRuns: 60 },
    )
    // The search must have met authors writing in bursts.
    expect(bursts).toBeGreaterThan(10)
  })
})
