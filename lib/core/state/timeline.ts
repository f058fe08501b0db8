/** A session's timeline for the UI: every change in causal order, with its details. */
import type { SessionId } from '../ids'
import type { Decision, EscalationState, HistoryEntry, MessageState, PlanVersion, RoomState } from './types'

export type TimelineEntry = HistoryEntry &
  (
    | { type: 'opened' }
    | { type: 'plan'; plan: PlanVersion }
    | { type: 'message'; message: MessageState }
    | { type: 'escalated'; escalation: EscalationState }
    | { type: 'decision'; decision: Decision }
    | { type: 'resolved' | 'closed' }
  )

/** The session's timeline, oldest first; empty for an unknown session. */
export function selectTimeline(s: RoomState, id: SessionId): TimelineEntry[] {
  const x = s.sessions.get(id)
  if (!x) return []
  const plans = new Map(x.plans.map((p) => [p.event, p]))
  const messages = new Map(x.messages.map((m) => [m.event, m]))
  const escalations = new Map(x.escalations.map((e) => [e.event, e]))
  const decisions = new Map(x.decisions.map((d) => [d.event, d]))
  return x.history.map((h): TimelineEntry => {
    const plan = plans.get(h.event)
    if (plan) return { ...h, type: 'plan', plan }
    const message = messages.get(h.event)
    if (message) return { ...h, type: 'message', message }
    const escalation = escalations.get(h.event)
    if (escalation) return { ...h, type: 'escalated', escalation }
    const decision = decisions.get(h.event)
    if (decision) return { ...h, type: 'decision', decision }
    if (h.kind === 'session.opened') return { ...h, type: 'opened' }
    return { ...h, type: h.kind === 'session.closed' ? 'closed' : 'resolved' }
  })
}
