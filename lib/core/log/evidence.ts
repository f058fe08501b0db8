/**
 * Verification of derived events by recomputation from the events they reference
 * (DESIGN §1, ADR 0005). Only referenced, immutable events are read, so every peer reaches
 * the same verdict whatever order events arrived in. Context that needs the whole set
 * (is this plan still the latest? which threshold is configured?) is checked by the reducer.
 */
import type { AnyEvent } from '../events/envelope'
import { messageType } from '../events/kinds/message'
import type { EventId } from '../ids'
import { detectPair } from '../rules'
import type { CustomRule } from '../rules/types'
import { canonicalTasks, sessionIdOf } from '../sessions/ids'
import { PATHS_RULE, verifyPathConflict } from '../sessions/path-conflict'
import { getKind, type LogView } from './stored'

/** Ids of the events a derived event's payload names as evidence. */
export function evidenceOf(event: AnyEvent): EventId[] {
  switch (event.kind) {
    case 'dependency.detected':
      return [...event.payload.claims, ...(event.payload.rule ? [event.payload.rule] : [])]
    case 'session.opened':
      return event.payload.evidence
    case 'session.escalated':
      return event.payload.reason === 'message_limit'
        ? [event.payload.opened, ...event.payload.messages]
        : event.payload.reason === 'duration'
          ? [event.payload.opened]
          : []
    case 'session.resolved':
      return [event.payload.plan, ...event.payload.agreements]
    case 'session.closed':
      return event.payload.evidence ?? []
    default:
      return []
  }
}

/** null if the derived event recomputes from its evidence, else why not. All evidence must be present. */
export function verifyDerived(event: AnyEvent, view: LogView): string | null {
  switch (event.kind) {
    case 'dependency.detected': {
      const { dependency: d, claims, rule } = event.payload
      const a = getKind(view, claims[0], 'task.claimed')
      const b = getKind(view, claims[1], 'task.claimed')
      if (!a || !b) return 'claims are not task.claimed events'
      if (a.event.payload.taskId !== d.task1 || b.event.payload.taskId !== d.task2) return 'claims do not match the tasks'
      let rules: CustomRule[] = []
      if (rule) {
        const added = getKind(view, rule, 'rule.added')
        if (!added || added.event.payload.rule.name !== d.relationship) return 'rule is not the rule.added of this relationship'
        rules = [added.event.payload.rule]
      }
      const found = detectPair(a.event.payload, b.event.payload, rules)
      const match = found.some((f) => f.relationship === d.relationship && f.task1 === d.task1 && f.task2 === d.task2)
      return match ? null : 'the rules do not produce this dependency'
    }
    case 'session.opened':
      return verifyOpened(event.payload, view)
    case 'session.escalated': {
      const p = event.payload
      if (p.reason === 'requested') return null
      const opened = getKind(view, p.opened, 'session.opened')
      if (!opened || opened.event.payload.session !== p.session) return 'opened is not this session'
      if (p.reason === 'duration') {
        return event.time - opened.event.time >= p.maxDurationMs ? null : 'the session is not that old'
      }
      const ids = new Set(p.messages)
      if (ids.size !== p.messages.length) return 'messages repeat'
      if (ids.size <= p.threshold) return 'not more messages than the threshold'
      const inSession = p.messages.every((id) => getKind(view, id, 'session.message')?.event.payload.session === p.session)
      return inSession ? null : 'a message is not of this session'
    }
    case 'session.resolved': {
      const p = event.payload
      const plan = view.get(p.plan)
      if (!plan || (plan.event.kind !== 'plan.proposed' && plan.event.kind !== 'plan.edited') || plan.event.payload.session !== p.session) {
        return 'plan is not a plan version of this session'
      }
      const authors = new Set<string>()
      for (const id of p.agreements) {
        const m = getKind(view, id, 'session.message')
        if (!m || m.event.payload.session !== p.session) return 'an agreement is not a message of this session'
        if (messageType(m.event.payload) !== 'agreement') return 'a message is not an agreement'
        // Fold order (lamport, id): the agreement must come after the plan version it agrees with.
        const after = m.event.lamport > plan.event.lamport || (m.event.lamport === plan.event.lamport && m.id > plan.id)
        if (!after) return 'an agreement precedes the plan'
        authors.add(m.event.author)
      }
      return authors.size >= Math.max(1, p.participants - 1) ? null : 'too few distinct participants agree'
    }
    case 'session.closed':
      return event.payload.reason === 'completed' ? verifyCompleted(event.payload, view) : null
    default:
      return null
  }
}

/** A `completed` close names the session's opening and a completion of each of its tasks. */
function verifyCompleted(p: Extract<AnyEvent, { kind: 'session.closed' }>['payload'], view: LogView): string | null {
  const [openedId, ...done] = p.evidence ?? []
  const opened = openedId ? getKind(view, openedId, 'session.opened') : undefined
  if (!opened || opened.event.payload.session !== p.session) return 'a completed close names the session.opened of its session'
  const tasks = new Set(opened.event.payload.tasks)
  for (const id of done) {
    const c = getKind(view, id, 'task.completed')
    if (!c || !tasks.delete(c.event.payload.taskId)) return 'evidence after the opening is one task.completed per task of the session'
  }
  return tasks.size === 0 ? null : 'a task of the session is not completed'
}

function verifyOpened(p: Extract<AnyEvent, { kind: 'session.opened' }>['payload'], view: LogView): string | null {
  const tasks = canonicalTasks(p.tasks)
  if (tasks.length !== p.tasks.length || tasks.some((t, i) => t !== p.tasks[i])) return 'tasks must be sorted and distinct'
  if (sessionIdOf(p.type, p.tasks, p.rule) !== p.session) return 'session id does not recompute'
  if (p.type === 'planning') return p.evidence.length === 0 ? null : 'a planning session has no evidence'
  if (p.type === 'dependency') {
    const d = p.evidence.length === 1 ? getKind(view, p.evidence[0], 'dependency.detected') : undefined
    if (!d) return 'evidence is not one dependency.detected'
    const dep = d.event.payload.dependency
    const same = canonicalTasks([dep.task1, dep.task2]).join('\n') === tasks.join('\n') && dep.relationship === p.rule
    return same ? null : 'the dependency does not match the session'
  }
  const claims = p.evidence.map((id) => getKind(view, id, 'task.claimed'))
  const claim = (i: number) => claims[i] && { task: claims[i].event.payload, author: claims[i].event.author }
  if (p.rule === PATHS_RULE) return claims.length === 2 ? verifyPathConflict(tasks, claim(0), claim(1)) : 'a path conflict needs two claims'
  if (claims.length !== 2 || p.rule !== 'conflict' || tasks.length !== 1) return 'a conflict needs two claims of one task'
  const [a, b] = claims
  if (!a || !b) return 'evidence is not two task.claimed'
  if (a.event.payload.taskId !== tasks[0] || b.event.payload.taskId !== tasks[0]) return 'claims are of another task'
  return a.event.author !== b.event.author ? null : 'both claims are by one agent'
}
