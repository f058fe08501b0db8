import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventId, PeerId, RoomId } from '../ids'
import { initialState } from './initial'
import { dependencySession, planFor, replicaRoom } from '../testing/replica'
import { absorb, copyMember, copySession, copyTask, Journal, rollback } from './journal'
import type { MemberState, RoomState, SessionState, TaskState } from './types'

const peer = (n: string) => n as PeerId
const member = (n: string): MemberState => ({ peerId: peer(n), displayName: n, kind: 'agent', role: 'agent', capabilities: [], joinedAt: 1, joinEvent: `e-${n}` as EventId, left: false })
const claim = (id: string, who: string): TaskState => ({
  task: { taskId: id, projectId: 'p', repository: 'r', title: id, description: '' },
  claimedBy: peer(who),
  claimants: [peer(who)],
  claims: { [who]: `c-${id}` as EventId },
  status: 'claimed',
})

/** Maps as ordered entry lists, so a change of insertion order shows. */
const ordered = (s: RoomState) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Map ? [...v.entries()] : v]))

function sample(): RoomState {
  const s = initialState('room' as RoomId)
  for (const n of ['a', 'b', 'c']) s.members.set(peer(n), member(n))
  for (const [id, who] of [['t1', 'a'], ['t2', 'b'], ['t3', 'c']]) s.tasks.set(id, claim(id, who))
  s.rules.set('R1', { rule: { name: 'R1', description: '', keywords: ['x'] }, event: 'r1' as EventId })
  s.rules.set('R2', { rule: { name: 'R2', description: '', keywords: ['y'] }, event: 'r2' as EventId })
  s.applied = 7
  return s
}

describe('Journal', () => {
  it('rolls back to exactly the checkpoint: values, Map order, and the records it shared untouched', () => {
    const s = sample()
    const before = structuredClone(s)
    const t2 = s.tasks.get('t2') as TaskState
    const j = new Journal()
    const undo = j.begin(s)
    // Edits of every kind: a new key, a shared record changed twice, a delete then re-add, root fields.
    j.set(s.tasks, 't4', claim('t4', 'a'))
    const own = j.own(s.tasks, 't2', copyTask) as TaskState
    own.claimants.push(peer('c'))
    own.claims.c = 'c-x' as EventId
    expect(j.own(s.tasks, 't2', copyTask)).toBe(own) // a copy is made once per checkpoint
    ;(j.own(s.members, peer('a'), copyMember) as MemberState).left = true
    j.delete(s.rules, 'R1')
    j.set(s.rules, 'R1', { rule: { name: 'R1', description: 'again', keywords: ['z'] }, event: 'r3' as EventId })
    j.set(s.ignored, 'stale', 1)
    s.applied = 12
    s.name = 'renamed'
    // The state before the checkpoint never saw those edits.
    expect(t2.claimants).toEqual([peer('b')])
    expect([...s.rules.keys()]).toEqual(['R2', 'R1'])

    rollback(s, undo)
    expect(ordered(s)).toEqual(ordered(before))
    expect(s.tasks.get('t2')).toBe(t2)
  })

  it('rolls back several checkpoints, newest first', () => {
    const s = sample()
    const before = structuredClone(s)
    const j = new Journal()
    const first = j.begin(s)
    j.delete(s.tasks, 't1')
    ;(j.own(s.tasks, 't3', copyTask) as TaskState).status = 'completed'
    const mid = structuredClone(s)
    const second = j.begin(s)
    j.set(s.tasks, 't1', claim('t1', 'b'))
    ;(j.own(s.tasks, 't3', copyTask) as TaskState).status = 'released'
    j.delete(s.members, peer('b'))
    rollback(s, second)
    expect(ordered(s)).toEqual(ordered(mid))
    rollback(s, first)
    expect(ordered(s)).toEqual(ordered(before))
  })

  it('two neighbouring undos merged roll back to the older checkpoint, Map order included (fast-check)', () => {
    type Op = { t: 'set' | 'own' | 'delete'; map: 'tasks' | 'rules'; key: number }
    const op = fc.record({ t: fc.constantFrom('set', 'own', 'delete'), map: fc.constantFrom('tasks', 'rules'), key: fc.integer({ min: 1, max: 5 }) }) as fc.Arbitrary<Op>
    const apply = (s: RoomState, j: Journal, o: Op, n: number) => {
      if (o.map === 'tasks') {
        const k = `t${o.key}`
        if (o.t === 'set') j.set(s.tasks, k, claim(k, `w${n}`))
        else if (o.t === 'delete') j.delete(s.tasks, k)
        else {
          const t = j.own(s.tasks, k, copyTask)
          if (t) (t.claimants.push(peer(`w${n}`)), (t.status = n % 2 ? 'completed' : 'claimed'))
        }
      } else {
        const k = `R${o.key}`
        if (o.t === 'delete') j.delete(s.rules, k)
        else j.set(s.rules, k, { rule: { name: k, description: `v${n}`, keywords: ['x'] }, event: `r${n}` as EventId })
      }
    }
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 12 }), (a, b, c) => {
        const s = sample()
        const j = new Journal()
        const first = j.begin(s)
        const atFirst = structuredClone(s)
        const shared = [...s.tasks.values()]
        a.forEach((o, i) => apply(s, j, o, i))
        const second = j.begin(s)
        b.forEach((o, i) => apply(s, j, o, 100 + i))
        const third = j.begin(s)
        c.forEach((o, i) => apply(s, j, o, 200 + i))
        absorb(first, second)
        rollback(s, third)
        rollback(s, first)
        expect(ordered(s)).toEqual(ordered(atFirst))
        // Records the first checkpoint shared are back, untouched.
        for (const t of shared) if (s.tasks.get(t.task.taskId) !== undefined) expect(s.tasks.get(t.task.taskId)).toBe(t)
      }),
      { numRuns: 500 },
    )
  })
})

describe('copySession', () => {
  it('copies every field a folded session has, and the lists the reducer appends to are its own', async () => {
    const room = await replicaRoom()
    const { ann, session } = await dependencySession(room)
    const rob = await room.member('rob', 'reviewer')
    // A plan, a message and a claimed escalation: every list and the escalation hold something.
    await room.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page') })
    await room.replica.author(ann, 'session.message', { session, text: 'Is this right?' })
    await room.replica.author(ann, 'session.escalated', { session, reason: 'requested', note: 'unsure' })
    await room.replica.author(rob, 'escalation.claimed', { session })
    const x = room.replica.state.sessions.get(session) as SessionState
    const c = copySession(x)
    expect(Object.keys(c).sort()).toEqual(Object.keys(x).sort())
    expect(c).toEqual(x)
    const appended = ['participants', 'plans', 'messages', 'approvals', 'escalations', 'decisions', 'history'] as const
    for (const k of appended) expect(c[k]).not.toBe(x[k])
    expect(c.escalation).not.toBe(x.escalation)
  })
})
