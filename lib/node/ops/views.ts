/**
 * Sessions as an agent needs to read them: summaries for lists, and a detail with the plan
 * rendered as text, the conversation with names, the human decision if any, and what is
 * expected of this agent now.
 */
import type { PeerId, SessionId } from '../../core/ids'
import { renderPlan } from '../../core/planner/render'
import { selectSession, type SessionView } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'

/** A member's display name, or the peer id when unknown. */
export const nameOf = (state: RoomState, peer: string): string => state.members.get(peer as PeerId)?.displayName ?? peer

/** One session in a list. */
export interface SessionSummary {
  id: SessionId
  type: SessionView['type']
  status: SessionView['status']
  rule: string
  tasks: string[]
  participants: string[]
  planVersion: number
  messages: number
  mine: boolean
  expected: string
}

/** What this agent should do next in a session, in one sentence. */
export function expectedOf(state: RoomState, s: SessionView, me: PeerId): string {
  const mine = s.participants.includes(me)
  if (s.status === 'closed') return 'Nothing: the session is closed.'
  if (s.status === 'resolved') {
    const myTasks = s.tasks.filter((t) => state.tasks.get(t)?.claimants.includes(me))
    const how = s.resolution?.reason === 'human_decision' ? `a reviewer decided: "${s.resolution.decision}"` : s.resolution?.reason === 'approved' ? 'a reviewer approved the plan' : 'consensus'
    return myTasks.length
      ? `Settled (${how}). Follow the plan: ask ready for ${myTasks.join(', ')} before starting, and complete each task when it is done.`
      : `Settled (${how}).`
  }
  if (s.status === 'escalated') return `Wait for a reviewer: the session is escalated (${s.escalation?.reason ?? 'unknown'}). Call wait_for_activity; the decision arrives as a session change.`
  if (!mine) return 'Nothing: you are not a participant.'
  if (s.plans.length === 0) return 'Wait for the plan: the primary planner writes it within seconds (wait_for_activity).'
  const latest = s.plans.length
  const stance = s.messages.filter((m) => m.author === me && m.planVersion === latest && (m.type === 'agreement' || m.type === 'concern')).pop()
  if (!stance) return `Reply to plan v${latest}: an agreement if it works for your task, else a concern (or a question) saying what must change.`
  if (stance.type === 'concern') return `Wait: you raised a concern on v${latest}; the planner writes a revision, then reply to it.`
  const missing = s.participants.filter((p) => !s.consensus.agreeing.includes(p)).map((p) => nameOf(state, p))
  return `Nothing: you agreed with v${latest}; waiting for ${missing.join(', ') || 'the resolution'} (${s.consensus.agreeing.length}/${s.consensus.required} agreements).`
}

/** A session summary from a view. */
export function summarize(state: RoomState, s: SessionView, me: PeerId): SessionSummary {
  return {
    id: s.id,
    type: s.type,
    status: s.status,
    rule: s.rule,
    tasks: s.tasks,
    participants: s.participants.map((p) => nameOf(state, p)),
    planVersion: s.plans.length,
    messages: s.messages.length,
    mine: s.participants.includes(me),
    expected: expectedOf(state, s, me),
  }
}

/** Everything about one session that an agent acts on. */
export function sessionDetail(state: RoomState, id: SessionId, me: PeerId) {
  const s = selectSession(state, id)
  if (!s) return undefined
  const latest = s.plans[s.plans.length - 1]
  const decision = [...s.decisions].reverse().find((d) => d.kind === 'resolved' || d.kind === 'returned' || d.kind === 'approved' || d.kind === 'edited')
  return {
    ...summarize(state, s, me),
    planText: latest ? renderPlan(latest.plan) : null,
    plan: latest ? { version: latest.version, by: latest.by, author: nameOf(state, latest.author), event: latest.event, sequence: latest.plan.sequence } : null,
    messages: s.messages.map((m) => ({ from: nameOf(state, m.author), type: m.type, text: m.text, time: new Date(m.time).toISOString(), planVersion: m.planVersion, mine: m.author === me, event: m.event })),
    consensus: { agreeing: s.consensus.agreeing.map((p) => nameOf(state, p)), concerns: s.consensus.concerns.map((p) => nameOf(state, p)), required: s.consensus.required, reached: s.consensus.reached },
    escalation: s.escalation ? { reason: s.escalation.reason, note: s.escalation.note ?? null, at: new Date(s.escalation.at).toISOString() } : null,
    resolution: s.resolution ? { reason: s.resolution.reason, decision: s.resolution.decision ?? null, strength: s.resolution.strength } : null,
    humanDecision: decision ? { kind: decision.kind, by: nameOf(state, decision.by), text: decision.text ?? null, at: new Date(decision.time).toISOString() } : null,
    relatedTasks: s.relatedTasks,
  }
}
export type SessionDetail = NonNullable<ReturnType<typeof sessionDetail>>
