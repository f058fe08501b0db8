/**
 * A session exported in the shape CHORUS's coordination code uses (ADR 0082): the JSON tags
 * of its `CoordinationSession`, `Participant`, `CoordinationMessage` and `TaskContext` structs,
 * plus the outcome of the discussion (start/end, consensus reached and strength, outcome type,
 * related tasks). Plan versions appear as `proposal` messages, as CHORUS posts its plans.
 */
import type { EventId, PeerId, SessionId } from '../ids'
import { renderPlan } from '../planner/render'
import { toChorusTask } from '../rules/chorus'
import { consensusOf } from '../sessions/consensus'
import type { RoomState, SessionState } from '../state/types'

const iso = (ms: number) => new Date(ms).toISOString()
const name = (s: RoomState, p: PeerId) => s.members.get(p)?.displayName ?? p

/** The time of an event by id (the claim's time becomes `claimed_at`), when the caller can look it up. */
export type EventTime = (event: EventId) => number | undefined

function taskContext(state: RoomState, taskId: string, timeOf: EventTime) {
  const t = state.tasks.get(taskId)
  if (!t) return null
  return toChorusTask({ ...t.task, agentId: name(state, t.claimedBy) }, timeOf(t.claims[t.claimedBy]))
}

function resolutionText(x: SessionState): string | undefined {
  const r = x.resolution
  if (!r) return x.status === 'closed' ? `Closed (${x.closeReason ?? 'unknown'})` : undefined
  if (r.reason === 'consensus') return 'Consensus reached among participants'
  if (r.reason === 'approved') return 'Plan approved by reviewers'
  return `Human decision: ${r.decision ?? ''}`.trim()
}

/** The session in CHORUS's discussion-context shape, or undefined if unknown. */
export function chorusDiscussion(state: RoomState, id: SessionId, timeOf: EventTime = () => undefined) {
  const x = state.sessions.get(id)
  if (!x) return undefined
  const lastSeen = (p: PeerId) => Math.max(x.openedAt, ...x.messages.filter((m) => m.author === p).map((m) => m.time))
  const participants: Record<string, unknown> = {}
  for (const p of x.participants) {
    const task = x.tasks.map((t) => state.tasks.get(t)).find((t) => t?.claimants.includes(p) || t?.claimedBy === p)
    const m = state.members.get(p)
    // Keyed by agent id as CHORUS does; two members sharing a display name fall back to the peer id.
    const key = Object.hasOwn(participants, name(state, p)) ? p : name(state, p)
    participants[key] = {
      agent_id: name(state, p),
      peer_id: p,
      repository: task?.task.repository ?? '',
      capabilities: m?.capabilities ?? [],
      last_seen: iso(lastSeen(p)),
      active: m ? !m.left : false,
    }
  }
  const plans = x.plans.map((v) => ({
    message_id: v.event,
    from_agent_id: name(state, v.author),
    from_peer_id: v.author,
    content: renderPlan(v.plan),
    message_type: 'proposal',
    timestamp: iso(v.time),
    metadata: { session_id: x.id, plan_type: 'coordination', plan_version: v.version, by: v.by },
  }))
  const messages = x.messages.map((m) => ({
    message_id: m.event,
    from_agent_id: name(state, m.author),
    from_peer_id: m.author,
    content: m.text,
    message_type: m.type,
    timestamp: iso(m.time),
    metadata: { session_id: x.id, plan_version: m.planVersion },
  }))
  const c = x.resolution ? { reached: x.resolution.reason === 'consensus', strength: x.resolution.strength } : { reached: false, strength: consensusOf(x).strength }
  const esc = x.escalations[x.escalations.length - 1]
  const resolution = resolutionText(x)
  const ended = x.resolution?.at ?? x.closedAt
  return {
    session_id: x.id,
    type: x.type,
    participants,
    tasks_involved: x.tasks.map((t) => taskContext(state, t, timeOf)).filter((t) => t !== null),
    messages: [...plans, ...messages].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0)),
    status: x.status,
    created_at: iso(x.openedAt),
    last_activity: iso(x.lastActivity),
    ...(resolution ? { resolution } : {}),
    ...(esc ? { escalation_reason: `${esc.reason}${esc.note ? `: ${esc.note}` : ''}` } : {}),
    started_at: iso(x.openedAt),
    ended_at: ended != null ? iso(ended) : null,
    consensus_reached: c.reached,
    consensus_strength: c.strength,
    outcome_type: x.resolution?.reason ?? (x.status === 'closed' ? 'closed' : 'open'),
    related_tasks: x.relatedTasks.map((t) => taskContext(state, t, timeOf)).filter((t) => t !== null),
    relationship: x.rule,
  }
}
