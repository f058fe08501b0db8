/**
 * Histories the fold's tests replay in other orders: a plain one, and one that changes every kind
 * of record after it was created.
 */
import { expect } from 'vitest'
import type { Signer } from '../events/signer'
import { foldOrder } from '../state/order'
import { planFor, replicaRoom } from './replica'
import { AUTH_API, LOGIN_PAGE, task } from './tasks'

/** A room with two agents and `n` claims alternating between them. */
export async function history(n: number) {
  const room = await replicaRoom()
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  for (let i = 0; i < n; i++) await room.replica.author(i % 2 ? a : b, 'task.claimed', task(`t${i}`, `repo${i % 3}`, `Task number ${i}`))
  return { room, a, b }
}

/** The state with every Map as its entry list in insertion order, so order differences show. */
export function ordered(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, ordered(v)])
  if (Array.isArray(value)) return value.map(ordered)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ordered(v)]))
  return value
}

/**
 * A room whose history changes every kind of record after it was created: a dependency session
 * with many messages and plan versions, completed and released tasks, a rule added then
 * removed (a Map delete), a member leaving (its tasks released).
 */
export async function richHistory() {
  const room = await replicaRoom({ escalationThreshold: 500 })
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  const c = await room.member('agent-c', 'agent')
  await room.replica.author(a, 'task.claimed', AUTH_API)
  await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
  expect(await room.emitDue(a)).toBe(1) // dependency.detected
  expect(await room.emitDue(b)).toBe(1) // session.opened
  const session = [...room.replica.state.sessions.keys()][0]
  const gone = new Set<Signer>()
  for (let i = 0; i < 120; i++) {
    const who = [a, b, c][i % 3]
    const holder = [a, b, c][(i - 9 + 3) % 3]
    room.clock.advance(1000)
    if (gone.has(who) || (i % 4 === 1 && gone.has(holder))) continue
    if (i % 4 === 0) await room.replica.author(who, 'task.claimed', task(`t${i}`, `repo${i % 5}`, `Task number ${i}`))
    else if (i % 4 === 1 && i > 8) await room.replica.author(holder, 'task.completed', { taskId: `t${i - 9}` })
    else if (i % 10 === 2) await room.replica.author(a, 'plan.proposed', { session, version: room.replica.state.sessions.get(session)!.plans.length + 1, plan: planFor('auth-api', 'login-page') })
    else if (i === 30) await room.replica.author(room.owner, 'rule.added', { rule: { name: 'Docs_Token', description: 'docs', keywords: ['token', 'readme'], requires: [['readme'], ['token']] } })
    else if (i === 70) await room.replica.author(room.owner, 'rule.removed', { name: 'Docs_Token' })
    else if (i === 98) {
      await room.replica.author(c, 'member.left', {})
      gone.add(c)
    }
    else if (who !== c) await room.replica.author(who, 'session.message', { session, text: i % 2 ? 'I have a concern' : 'Sounds good' })
  }
  const sorted = [...room.replica.log.all()].sort(foldOrder)
  const s = room.replica.state
  // The history did what it is meant to exercise.
  expect(s.sessions.get(session)!.messages.length).toBeGreaterThan(30)
  expect(s.sessions.get(session)!.plans.length).toBeGreaterThan(3)
  expect([...s.tasks.values()].filter((t) => t.status === 'completed').length).toBeGreaterThan(10)
  expect([...s.tasks.values()].some((t) => t.status === 'released')).toBe(true)
  expect(s.members.get(c.peerId)?.left).toBe(true)
  expect(s.rules.size).toBe(0)
  return { room, sorted, session }
}
