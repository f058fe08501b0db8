import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventId, PeerId, RoomId, SessionId } from '../ids'
import type { Dependency } from '../rules/types'
import { initialState } from '../state/initial'
import type { RoomState, SessionState, SessionStatus, TaskState } from '../state/types'
import { consensusOf } from './consensus'
import { DependencyCache } from './dependency-cache'
import { due, type DueEvent } from './due'
import { durationStart } from './duration'
import { sessionIdOf } from './ids'
import { schemaAccepts } from './verdicts'

const NOW = 10_000_000
const b32 = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567')
const eventId = fc.string({ unit: b32, minLength: 58, maxLength: 58 }).map((s) => `b${s}` as EventId)
const peer = fc.constantFrom('p1', 'p2', 'p3') as fc.Arbitrary<PeerId>
/** Task ids that prefix one another and hold the key's own separator. */
const taskId = fc.constantFrom('a', 'ab', 'a|b', 'b', 'b|', 'B', '|a', 'aa', 'a|')
const relationship = fc.constantFrom('API_Contract', 'Database_Schema', 'A|B', 'z')

const taskState = fc.record({
  status: fc.constantFrom('claimed', 'claimed', 'claimed', 'claimed', 'released', 'completed') as fc.Arbitrary<TaskState['status']>,
  claimants: fc.uniqueArray(peer, { minLength: 1, maxLength: 3 }),
  claim: eventId,
  completion: fc.option(eventId, { nil: undefined }),
})

interface SessionShape {
  status: SessionStatus
  tasks: string[]
  lastActivity: number
  witnessedAt: number | null
  messages: EventId[]
  opened: EventId
  /** The relationship of a dependency session; a conflict session has none. */
  rule?: string
}

const sessionShape: fc.Arbitrary<SessionShape> = fc.record({
  status: fc.constantFrom('active', 'resolved', 'escalated', 'closed') as fc.Arbitrary<SessionStatus>,
  tasks: fc.array(taskId, { minLength: 1, maxLength: 2 }),
  lastActivity: fc.integer({ min: 0, max: NOW }),
  witnessedAt: fc.option(fc.integer({ min: 0, max: NOW }), { nil: null }),
  messages: fc.array(eventId, { maxLength: 7 }),
  opened: eventId,
})

/** A room state with its maps filled in a random order, keyed as the fold keys them. */
const roomState = fc
  .record({
    tasks: fc.array(fc.tuple(taskId, taskState), { maxLength: 14 }),
    dependencies: fc.array(fc.record({ task1: taskId, task2: taskId, relationship, event: eventId }), { maxLength: 20 }),
    sessions: fc.array(sessionShape, { maxLength: 10 }),
    openOf: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map(({ tasks, dependencies, sessions, openOf }) => {
    const s = initialState('room' as RoomId)
    for (const [id, t] of tasks) {
      const claims: Record<string, EventId> = Object.fromEntries(t.claimants.map((p, i) => [p, `${t.claim.slice(0, -1)}${'abc'[i]}` as EventId]))
      s.tasks.set(id, { task: { taskId: id, projectId: 'p', repository: `r-${id}`, title: `Task ${id}`, description: '' }, claimedBy: t.claimants[0], claimants: t.claimants, claims, status: t.status, completion: t.completion })
    }
    for (const d of dependencies) {
      const dependency: Dependency = { task1: d.task1, task2: d.task2, relationship: d.relationship, confidence: 0.9, reason: 'r' }
      s.dependencies.set(`${d.task1}|${d.task2}|${d.relationship}`, { dependency, event: d.event, detectedBy: 'p1' as PeerId })
    }
    // Some announced dependencies have their session already, as after an emitted session.opened.
    const deps = [...s.dependencies.values()]
    for (const n of openOf) {
      if (deps.length === 0) break
      const { dependency: d, event } = deps[n % deps.length]
      sessions.push({ status: 'active', tasks: [d.task1, d.task2], lastActivity: NOW, witnessedAt: null, messages: [], opened: event, rule: d.relationship })
    }
    for (const x of sessions) {
      const id = x.rule === undefined ? sessionIdOf('conflict', x.tasks, 'conflict') : sessionIdOf('dependency', x.tasks, x.rule)
      s.sessions.set(id, sessionOf(id, x))
    }
    return s
  })

function sessionOf(id: SessionId, x: SessionShape): SessionState {
  return {
    id, type: x.rule === undefined ? 'conflict' : 'dependency', tasks: [...new Set(x.tasks)].sort(), rule: x.rule ?? 'conflict', status: x.status, participants: ['p1', 'p2'] as PeerId[], relatedTasks: [],
    openedAt: 0, openedBy: 'p1' as PeerId, openedEvent: x.opened, activeSince: 0, activeBy: 'p1' as PeerId, activeEvent: x.opened,
    witnessedAt: x.witnessedAt, witnessedBy: x.witnessedAt === null ? null : ('p2' as PeerId), messagesSinceActive: x.messages.length, lastActivity: x.lastActivity,
    plans: [], messages: x.messages.map((event) => ({ event, author: 'p1' as PeerId, type: 'question' as const, text: 't', time: 0, planVersion: 0 })),
    approvals: [], escalation: null, escalations: [], decisions: [], resolution: null, history: [], closedAt: null, closeReason: null,
  }
}

/** The sessions' and transitions' part of `due` as it sorted before: every entry, by a key built at each comparison. */
function sortedBefore(state: RoomState, now: number): DueEvent[] {
  const depKey = (d: Dependency) => `${d.task1}|${d.task2}|${d.relationship}`
  const out: DueEvent[] = []
  for (const d of [...state.dependencies.values()].sort((x, y) => (depKey(x.dependency) < depKey(y.dependency) ? -1 : 1))) {
    const { task1, task2, relationship } = d.dependency
    if (state.tasks.get(task1)?.status !== 'claimed' || state.tasks.get(task2)?.status !== 'claimed') continue
    const tasks = [task1, task2].sort()
    const session = sessionIdOf('dependency', tasks, relationship)
    if (state.sessions.has(session)) continue
    out.push({ kind: 'session.opened', payload: { session, type: 'dependency', tasks, rule: relationship, evidence: [d.event] } })
  }
  for (const [taskId, t] of [...state.tasks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (t.status !== 'claimed' || t.claimants.length < 2) continue
    const session = sessionIdOf('conflict', [taskId], 'conflict')
    if (state.sessions.has(session)) continue
    out.push({ kind: 'session.opened', payload: { session, type: 'conflict', tasks: [taskId], rule: 'conflict', evidence: [t.claims[t.claimants[0]], t.claims[t.claimants[1]]] } })
  }
  const { escalationThreshold, maxSessionDurationMs, inactivityTimeoutMs } = state.config
  for (const s of [...state.sessions.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (s.status === 'active' || s.status === 'resolved') {
      const done = s.tasks.map((t) => state.tasks.get(t)).map((t) => (t?.status === 'completed' ? t.completion : undefined))
      if (done.every((c) => c !== undefined)) {
        out.push({ kind: 'session.closed', payload: { session: s.id, reason: 'completed', evidence: [s.openedEvent, ...(done as EventId[])] } })
        continue
      }
    }
    if (s.status === 'resolved' && now - s.lastActivity >= inactivityTimeoutMs) {
      out.push({ kind: 'session.closed', payload: { session: s.id, reason: 'inactivity' } })
      continue
    }
    if (s.status !== 'active') continue
    const start = durationStart(s)
    if (consensusOf(s).reached) throw new Error('the generated sessions have no plan')
    if (s.messagesSinceActive > escalationThreshold) {
      const messages = s.messages.slice(-(escalationThreshold + 1)).map((m) => m.event)
      out.push({ kind: 'session.escalated', payload: { session: s.id, reason: 'message_limit', threshold: escalationThreshold, opened: s.openedEvent, messages } })
    } else if (start !== null && now - start >= maxSessionDurationMs) {
      out.push({ kind: 'session.escalated', payload: { session: s.id, reason: 'duration', maxDurationMs: maxSessionDurationMs, opened: s.openedEvent } })
    }
  }
  return out.filter((d) => schemaAccepts(d.kind, d.payload))
}

describe('due, sessions and transitions', () => {
  it('come in the order of a sort of every dependency, task and session by its key, with a cache or without (fast-check)', () => {
    fc.assert(
      fc.property(roomState, fc.integer({ min: 1, max: 6 }), (state, threshold) => {
        state.config = { ...state.config, escalationThreshold: threshold, inactivityTimeoutMs: 5_000_000, maxSessionDurationMs: 3_000_000 }
        const expected = sortedBefore(state, NOW)
        const cache = new DependencyCache()
        for (const got of [due(state, NOW), due(state, NOW, cache), due(state, NOW, cache)]) {
          expect(got.filter((d) => d.kind !== 'dependency.detected')).toEqual(expected)
        }
      }),
      { numRuns: 500 },
    )
  })
})
