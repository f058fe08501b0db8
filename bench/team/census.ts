/**
 * Counts the events of a room that belong to a workload (its claims, the dependencies and
 * sessions on its tasks, their plans, messages and decisions), and how many derived events
 * are copies: a second `dependency.detected`, `session.opened`, `session.resolved`,
 * `session.escalated` (by rule) or `session.closed` for the same thing, by whichever author.
 */
import type { StoredEvent } from '../../lib/core/log/stored'
import type { RoomState } from '../../lib/core/state/types'

/** What a census finds. */
export interface Census {
  /** Every event in the log. */
  total: number
  /** Events about the workload's tasks. */
  workload: number
  /** Of those, by kind. */
  byKind: Record<string, number>
  /** Derived events beyond the first for the same thing. */
  derivedCopies: number
  /** Plan versions written more than once (concurrent primaries). */
  planCopies: number
}

/** The identity of a derived event (same key, same thing), or null for other events. */
function derivedKey(e: StoredEvent): string | null {
  const p = e.event.payload as Record<string, unknown>
  switch (e.event.kind) {
    case 'dependency.detected': {
      const d = p.dependency as { task1: string; task2: string; relationship: string }
      return `dep|${d.task1}|${d.task2}|${d.relationship}`
    }
    case 'session.opened':
    case 'session.resolved':
    case 'session.closed':
      return `${e.event.kind}|${String(p.session)}`
    case 'session.escalated':
      return p.reason === 'requested' ? null : `${e.event.kind}|${String(p.session)}|${String(p.reason)}`
    default:
      return null
  }
}

/** Counts `events` against the workload `tasks` in `state`. */
export function census(events: readonly StoredEvent[], state: RoomState, tasks: ReadonlySet<string>): Census {
  const sessions = new Set([...state.sessions.values()].filter((s) => s.tasks.some((t) => tasks.has(t))).map((s) => s.id as string))
  const byKind: Record<string, number> = {}
  const seen = new Set<string>()
  let workload = 0
  let derivedCopies = 0
  let planCopies = 0
  for (const e of events) {
    const p = e.event.payload as Record<string, unknown>
    const mine =
      (typeof p.taskId === 'string' && tasks.has(p.taskId)) ||
      (e.event.kind === 'dependency.detected' && [(p.dependency as { task1: string }).task1, (p.dependency as { task2: string }).task2].some((t) => tasks.has(t))) ||
      (typeof p.session === 'string' && sessions.has(p.session))
    if (!mine) continue
    workload++
    byKind[e.event.kind] = (byKind[e.event.kind] ?? 0) + 1
    const key = derivedKey(e) ?? (e.event.kind === 'plan.proposed' ? `plan|${String(p.session)}|${String(p.version)}` : null)
    if (key == null) continue
    if (seen.has(key)) {
      if (e.event.kind === 'plan.proposed') planCopies++
      else derivedCopies++
    }
    seen.add(key)
  }
  return { total: events.length, workload, byKind, derivedCopies, planCopies }
}
