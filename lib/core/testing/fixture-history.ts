/**
 * The history the frozen v1 fixtures were generated from: one event of every kind, authored
 * with deterministic keys and clock (Ed25519 signatures are deterministic, RFC 8032). The
 * fixtures file is the contract; this documents how it was made. Authoring has changed since
 * (message types are now pinned), so regenerating gives different bytes: never overwrite v1.
 */
import type { EncodedEvent } from '../events/envelope'
import { sessionIdOf } from '../sessions/ids'
import { due } from '../sessions/due'
import { planFor, replicaRoom } from './replica'
import { AUTH_API, LOGIN_PAGE, task } from './tasks'

/** Author the fixture history; returns every event in authoring order. */
export async function fixtureHistory(): Promise<EncodedEvent[]> {
  const room = await replicaRoom({ escalationThreshold: 2 })
  const { replica, owner, clock } = room
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  const r = await room.member('reviewer', 'reviewer')
  const emit = async (as: typeof a) => {
    for (const d of due(replica.state, clock.now())) await replica.author(as, d.kind, d.payload)
  }
  await replica.author(owner, 'room.configured', { config: { maxParticipants: 4 } })
  await replica.author(owner, 'rule.added', { rule: { name: 'Docs_Sync', description: 'docs follow code', keywords: ['docs'] } })
  await replica.author(owner, 'rule.removed', { name: 'Docs_Sync' })
  await replica.author(a, 'task.claimed', AUTH_API)
  await replica.author(b, 'task.claimed', LOGIN_PAGE)
  await emit(a) // dependency.detected
  await emit(b) // session.opened
  const s1 = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')
  await replica.author(a, 'plan.proposed', { session: s1, version: 1, plan: planFor('auth-api', 'login-page') })
  await replica.author(b, 'session.message', { session: s1, text: 'Sounds good' })
  await emit(a) // session.resolved
  clock.advance(10 * 60_000)
  await emit(a) // session.closed
  const s2 = sessionIdOf('planning', ['billing'], 'billing rollout')
  await replica.author(a, 'task.claimed', task('billing', 'svc', 'Rewrite the billing job'))
  await replica.author(a, 'session.opened', { session: s2, type: 'planning', tasks: ['billing'], rule: 'billing rollout', evidence: [] })
  await replica.author(a, 'session.escalated', { session: s2, reason: 'requested', note: 'needs a human' })
  await replica.author(r, 'escalation.claimed', { session: s2 })
  await replica.author(r, 'plan.edited', { session: s2, version: 1, plan: planFor('billing', 'billing', 'Human plan'), note: 'edited' })
  await replica.author(r, 'plan.approved', { session: s2, version: 1 })
  await replica.author(a, 'task.released', { taskId: 'billing' })
  await replica.author(a, 'task.claimed', task('billing', 'svc', 'Rewrite the billing job'))
  await replica.author(a, 'task.completed', { taskId: 'billing', note: 'done' })
  const s3 = sessionIdOf('planning', ['auth-api'], 'auth review')
  await replica.author(r, 'session.opened', { session: s3, type: 'planning', tasks: ['auth-api'], rule: 'auth review', evidence: [] })
  await replica.author(r, 'session.escalated', { session: s3, reason: 'requested', note: 'check' })
  await replica.author(r, 'escalation.returned', { session: s3, guidance: 'carry on' })
  await replica.author(r, 'session.escalated', { session: s3, reason: 'requested', note: 'again' })
  await replica.author(r, 'escalation.resolved', { session: s3, decision: 'ship it' })
  await replica.author(b, 'member.left', { reason: 'done for today' })
  return replica.log.all().map(({ id, bytes, event }) => ({ id, bytes, event }))
}
