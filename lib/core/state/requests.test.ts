import { describe, expect, it } from 'vitest'
import { dependencySession, planFor, replicaRoom } from '../testing/replica'
import { selectRequests } from './selectors'

/** Two agents on dependent tasks, the derived session opened, plan v1 proposed. */
async function room(config = {}) {
  const r = await replicaRoom(config)
  const { ann, bob, session } = await dependencySession(r)
  const rob = await r.member('rob', 'reviewer')
  const eve = await r.member('eve', 'reviewer')
  await r.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page') })
  return { r, ann, bob, rob, eve, session }
}

describe('selectRequests', () => {
  it('calls a request to escalate with no objection to the plan an approval request, and one after a concern an escalation', async () => {
    const { r, ann, bob, session } = await room()
    await r.replica.author(ann, 'session.message', { session, type: 'question', text: 'Can a reviewer approve v1?' })
    await r.replica.author(bob, 'session.message', { session, type: 'question', text: 'Same here' })
    r.clock.advance(1000)
    const esc = await r.replica.author(bob, 'session.escalated', { session, reason: 'requested', note: 'Please approve v1 before we start' })
    expect(selectRequests(r.replica.state)).toMatchObject([
      { id: esc.id, session, kind: 'approval', reason: 'requested', by: bob.peerId, note: 'Please approve v1 before we start', planVersion: 1, messages: 2 },
    ])

    const other = await room()
    await other.r.replica.author(other.bob, 'session.message', { session: other.session, type: 'concern', text: 'The token format is wrong' })
    await other.r.replica.author(other.bob, 'session.escalated', { session: other.session, reason: 'requested', note: 'We disagree' })
    expect(selectRequests(other.r.replica.state).map((q) => q.kind)).toEqual(['escalation'])
  })

  it('lists a plan some reviewers approved until the quorum is met, and the message-limit figures', async () => {
    const { r, rob, eve, session } = await room({ approvalQuorum: 2 })
    expect(selectRequests(r.replica.state)).toEqual([])
    const first = await r.replica.author(rob, 'plan.approved', { session, version: 1 })
    expect(selectRequests(r.replica.state)).toMatchObject([{ id: first.id, kind: 'quorum', approvals: 1, needed: 2, by: rob.peerId }])
    await r.replica.author(eve, 'plan.approved', { session, version: 1 })
    expect(selectRequests(r.replica.state)).toEqual([])

    const lim = await room({ escalationThreshold: 2 })
    for (const n of [1, 2, 3]) await lim.r.replica.author(lim.bob, 'session.message', { session: lim.session, type: 'concern', text: `concern ${n}` })
    await lim.r.emitDue(lim.ann)
    expect(selectRequests(lim.r.replica.state)).toMatchObject([{ kind: 'escalation', reason: 'message_limit', messages: 3, threshold: 2 }])
  })
})
