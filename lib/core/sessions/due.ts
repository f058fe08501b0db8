/**
 * `due(state, now)`: the derived events that should exist now, each with the evidence that
 * lets any peer verify it. A peer emits them through `Replica.author`, and the members elect one
 * emitter per due event so the log holds one copy however many agents are in the room; a copy
 * that still happens (two peers that had not seen each other's) is harmless (deterministic
 * session ids, duplicate-tolerant fold).
 */
import type { EventKind, PayloadInput } from '../events/kinds'
import type { EventId } from '../ids'
import type { Dependency } from '../rules/types'
import type { DependencyState, RoomState, SessionState, TaskState } from '../state/types'
import { consensusOf } from './consensus'
import { DependencyCache } from './dependency-cache'
import { durationStart } from './duration'
import { sessionIdOf } from './ids'
import { duePathConflicts, PATHS_RULE } from './path-conflict'
import { schemaAccepts } from './verdicts'

export type DueEvent = { [K in EventKind]: { kind: K; payload: PayloadInput<K> } }[EventKind]

/**
 * Every derived event due in `state` at local time `now`, in a deterministic order. Pass a
 * DependencyCache kept across calls to make dependency detection incremental and to remember
 * the schema's verdict on payloads seen before.
 */
export function due(state: RoomState, now: number, cache?: DependencyCache): DueEvent[] {
  const idOf: typeof sessionIdOf = cache ? (t, ts, r) => cache.sessionId(t, ts, r) : sessionIdOf
  const all = [...dueDependencies(state, cache), ...dueSessions(state, idOf), ...dueTransitions(state, now)]
  // A payload the schema refuses (say a rule's reason longer than the event allows) would only
  // make the emitting peer's author() throw; it is left out instead.
  const accepts = cache ? (d: DueEvent) => cache.verdicts.accepts(d.kind, d.payload) : (d: DueEvent) => schemaAccepts(d.kind, d.payload)
  return all.filter(accepts)
}

const depKey = (d: Dependency): string => `${d.task1}|${d.task2}|${d.relationship}`
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : 1)

/** Dependencies the rules find among claimed tasks that nobody has announced yet. */
function dueDependencies(state: RoomState, cache?: DependencyCache): DueEvent[] {
  const found = (cache ?? new DependencyCache()).dependencies(state)
  const out: DueEvent[] = []
  for (const d of found) {
    if (state.dependencies.has(depKey(d))) continue
    const a = state.tasks.get(d.task1)
    const b = state.tasks.get(d.task2)
    if (!a || !b) continue
    const rule = state.rules.get(d.relationship)?.event
    out.push({
      kind: 'dependency.detected',
      payload: { dependency: d, claims: [a.claims[a.claimedBy], b.claims[b.claimedBy]], ...(rule ? { rule } : {}) },
    })
  }
  return out
}

/** Sessions for announced dependencies, for tasks claimed by two agents, and for overlapping paths. */
function dueSessions(state: RoomState, idOf: typeof sessionIdOf): DueEvent[] {
  const out: DueEvent[] = []
  // The map's keys are depKey of its dependencies; only those between two claimed tasks are
  // sorted (most announced dependencies outlive their tasks' claims).
  const live: [string, DependencyState][] = []
  for (const entry of state.dependencies) {
    const { task1, task2 } = entry[1].dependency
    if (state.tasks.get(task1)?.status === 'claimed' && state.tasks.get(task2)?.status === 'claimed') live.push(entry)
  }
  for (const [, d] of live.sort(byKey)) {
    const { task1, task2, relationship } = d.dependency
    const tasks = [task1, task2].sort()
    const session = idOf('dependency', tasks, relationship)
    if (state.sessions.has(session)) continue
    out.push({ kind: 'session.opened', payload: { session, type: 'dependency', tasks, rule: relationship, evidence: [d.event] } })
  }
  const contested: [string, TaskState][] = []
  for (const entry of state.tasks) if (entry[1].status === 'claimed' && entry[1].claimants.length >= 2) contested.push(entry)
  for (const [taskId, t] of contested.sort(byKey)) {
    const session = idOf('conflict', [taskId], 'conflict')
    if (state.sessions.has(session)) continue
    const evidence = [t.claims[t.claimants[0]], t.claims[t.claimants[1]]]
    out.push({ kind: 'session.opened', payload: { session, type: 'conflict', tasks: [taskId], rule: 'conflict', evidence } })
  }
  for (const c of duePathConflicts(state)) {
    const session = idOf('conflict', c.tasks, PATHS_RULE)
    if (state.sessions.has(session)) continue
    out.push({ kind: 'session.opened', payload: { session, type: 'conflict', tasks: c.tasks, rule: PATHS_RULE, evidence: c.evidence } })
  }
  return out
}

/** Consensus, escalation and inactivity close of existing sessions. */
function dueTransitions(state: RoomState, now: number): DueEvent[] {
  const out: DueEvent[] = []
  const { escalationThreshold, maxSessionDurationMs, inactivityTimeoutMs } = state.config
  // Only open and settled sessions can move; closed and escalated ones are most of a long room.
  const moving: [string, SessionState][] = []
  for (const entry of state.sessions) if (entry[1].status === 'active' || entry[1].status === 'resolved') moving.push(entry)
  for (const [, s] of moving.sort(byKey)) {
    const completed = completedClose(state, s)
    if (completed) {
      out.push(completed)
      continue
    }
    if (s.status === 'resolved' && now - s.lastActivity >= inactivityTimeoutMs) {
      out.push({ kind: 'session.closed', payload: { session: s.id, reason: 'inactivity' } })
      continue
    }
    if (s.status !== 'active') continue
    const resolved = consensusEvent(s)
    if (resolved) out.push(resolved)
    else if (s.messagesSinceActive > escalationThreshold) {
      const messages = s.messages.slice(-(escalationThreshold + 1)).map((m) => m.event)
      out.push({ kind: 'session.escalated', payload: { session: s.id, reason: 'message_limit', threshold: escalationThreshold, opened: s.openedEvent, messages } })
    } else if (isOld(s, now, maxSessionDurationMs)) {
      out.push({ kind: 'session.escalated', payload: { session: s.id, reason: 'duration', maxDurationMs: maxSessionDurationMs, opened: s.openedEvent } })
    }
  }
  return out
}

/** A `completed` close once every task of an open or settled session is completed. */
function completedClose(state: RoomState, s: SessionState): DueEvent | null {
  if (s.status !== 'active' && s.status !== 'resolved') return null
  const done: EventId[] = []
  for (const t of s.tasks) {
    const task = state.tasks.get(t)
    if (task?.status !== 'completed' || !task.completion) return null
    done.push(task.completion)
  }
  return { kind: 'session.closed', payload: { session: s.id, reason: 'completed', evidence: [s.openedEvent, ...done] } }
}

/** True if the session's duration clock has run for `max` by `now`. */
function isOld(s: SessionState, now: number, max: number): boolean {
  const start = durationStart(s)
  return start !== null && now - start >= max
}

/** `session.resolved` with the agreements as evidence, if consensus holds. */
function consensusEvent(s: SessionState): DueEvent | null {
  const c = consensusOf(s)
  if (!c.reached) return null
  const latest = s.plans[s.plans.length - 1]
  const agreements: EventId[] = []
  for (const p of c.agreeing) {
    const m = s.messages.findLast((x) => x.author === p && x.planVersion === latest.version && x.type === 'agreement')
    if (m) agreements.push(m.event)
  }
  return { kind: 'session.resolved', payload: { session: s.id, reason: 'consensus', plan: latest.event, agreements, participants: s.participants.length } }
}
