/**
 * Session events in the fold: opening, plan versions, messages, approvals, escalation,
 * resolution and close. Derived events were verified from their evidence at admission; here
 * they are re-checked against the state at their position (latest plan, configured
 * thresholds, open concerns), so a set with a concurrent newer plan ignores a stale consensus.
 */
import type { AnyEvent } from '../events/envelope'
import { messageType } from '../events/kinds/message'
import type { EventId, PeerId } from '../ids'
import { consensusOf } from '../sessions/consensus'
import { durationStart } from '../sessions/duration'
import { approvalsNeeded } from '../sessions/quorum'
import { relatedTasks } from '../sessions/related'
import { copySession, type Writer } from './journal'
import type { RoomState, SessionState } from './types'

type SessionEvent = Extract<
  AnyEvent,
  {
    kind:
      | 'session.opened'
      | 'plan.proposed'
      | 'plan.edited'
      | 'plan.approved'
      | 'session.message'
      | 'session.escalated'
      | 'session.resolved'
      | 'session.closed'
      | 'escalation.claimed'
      | 'escalation.resolved'
      | 'escalation.returned'
  }
>

const isHuman = (s: RoomState, p: PeerId): boolean => {
  const role = s.members.get(p)?.role
  return role === 'owner' || role === 'admin' || role === 'reviewer'
}

/** Participants, planners (by their join's capabilities) and admins write a session's plans. */
const mayPlan = (s: RoomState, x: SessionState, who: PeerId): boolean => {
  const m = s.members.get(who)
  return x.participants.includes(who) || m?.role === 'owner' || m?.role === 'admin' || m?.capabilities.includes('planner') === true
}

/** Fold a session event; returns why it was ignored, if it was. */
export function reduceSession(s: RoomState, e: SessionEvent, id: EventId, w: Writer): string | void {
  if (e.kind === 'session.opened') return opened(s, e, id, w)
  const held = s.sessions.get(e.payload.session)
  if (!held) return 'unknown_session'
  if (held.status === 'closed' && (held.closeReason !== 'inactivity' || e.kind === 'session.closed')) return 'session_closed'
  // Most session events change it; one the session ignores costs at most a spare copy per checkpoint.
  const session = w.own(s.sessions, e.payload.session, copySession) as SessionState
  const why = held.status === 'closed' ? reopened(s, session, e, id, w) : apply(s, session, e, id, w)
  if (!why) {
    session.lastActivity = Math.max(session.lastActivity, e.time)
    if (session.witnessedAt === null && e.author !== session.activeBy) {
      session.witnessedAt = e.time
      session.witnessedBy = e.author
    }
    session.history.push({ kind: e.kind, event: id, at: e.time, by: e.author })
  }
  return why
}

/**
 * Activity folded after an inactivity close shows the session was not idle: the close is
 * undone and the event applies to the resolved session. So a close cited from a stale view
 * (an old Lamport position) cannot hide later activity; the close is due again once the
 * session really is idle.
 */
function reopened(s: RoomState, x: SessionState, e: Exclude<SessionEvent, { kind: 'session.opened' }>, id: EventId, w: Writer): string | void {
  const closed = { closedAt: x.closedAt, closeReason: x.closeReason }
  x.status = 'resolved'
  x.closedAt = null
  x.closeReason = null
  const why = apply(s, x, e, id, w)
  if (why) Object.assign(x, { status: 'closed', ...closed })
  return why ? 'session_closed' : undefined
}

/** Registers the session's activation to be witnessed by a later citation of its author's chain. */
function awaitWitness(s: RoomState, x: SessionState, seq: number, w: Writer): void {
  const list = s.awaitingWitness.get(x.activeBy) ?? []
  w.set(s.awaitingWitness, x.activeBy, [...list, { session: x.id, event: x.activeEvent, seq }])
}

/**
 * An event citing `author`'s chain at `seq` (in its deps) by someone else witnesses that
 * author's activations at or below `seq`: the citing author's clock bounds when they happened.
 */
export function witnessCitation(s: RoomState, author: PeerId, seq: number, by: PeerId, time: number, w: Writer): void {
  const list = s.awaitingWitness.get(author)
  if (!list || by === author) return
  const keep = list.filter((a) => a.seq > seq)
  if (keep.length === list.length) return
  for (const a of list) {
    if (a.seq > seq) continue
    const x = s.sessions.get(a.session)
    if (!x || x.activeEvent !== a.event || x.witnessedAt !== null) continue
    Object.assign(w.own(s.sessions, a.session, copySession) as SessionState, { witnessedAt: time, witnessedBy: by })
  }
  if (keep.length > 0) w.set(s.awaitingWitness, author, keep)
  else w.delete(s.awaitingWitness, author)
}

function opened(s: RoomState, e: Extract<AnyEvent, { kind: 'session.opened' }>, id: EventId, w: Writer): string | void {
  const p = e.payload
  if (s.sessions.has(p.session)) return 'duplicate_session'
  const participants: PeerId[] = []
  for (const t of p.tasks) for (const c of s.tasks.get(t)?.claimants ?? []) if (!participants.includes(c)) participants.push(c)
  if (participants.length === 0) participants.push(e.author)
  w.set(s.sessions, p.session, {
    id: p.session,
    type: p.type,
    tasks: p.tasks,
    rule: p.rule,
    status: 'active',
    participants: participants.slice(0, s.config.maxParticipants),
    relatedTasks: relatedTasks(s.links, p.tasks, s.config.coordinationHops),
    openedAt: e.time,
    openedBy: e.author,
    openedEvent: id,
    activeSince: e.time,
    activeBy: e.author,
    activeEvent: id,
    witnessedAt: null,
    witnessedBy: null,
    messagesSinceActive: 0,
    lastActivity: e.time,
    plans: [],
    messages: [],
    approvals: [],
    escalation: null,
    escalations: [],
    decisions: [],
    resolution: null,
    history: [{ kind: e.kind, event: id, at: e.time, by: e.author }],
    closedAt: null,
    closeReason: null,
  })
  awaitWitness(s, s.sessions.get(p.session) as SessionState, e.seq, w)
}

function apply(s: RoomState, x: SessionState, e: Exclude<SessionEvent, { kind: 'session.opened' }>, id: EventId, w: Writer): string | void {
  switch (e.kind) {
    case 'plan.proposed':
    case 'plan.edited': {
      const human = e.kind === 'plan.edited'
      if (!human && !mayPlan(s, x, e.author)) return 'not_planner'
      if (x.status !== 'active' && !(human && x.status === 'escalated')) return 'session_not_active'
      if (e.payload.version !== x.plans.length + 1) return 'stale_plan_version'
      x.plans.push({ version: e.payload.version, plan: e.payload.plan, event: id, author: e.author, by: human ? 'human' : 'planner', time: e.time })
      x.approvals = []
      if (human) x.decisions.push({ kind: 'edited', by: e.author, event: id, time: e.time, text: e.payload.plan.summary })
      return
    }
    case 'plan.approved': {
      if (x.status !== 'active' && x.status !== 'escalated') return 'session_settled'
      if (e.payload.version !== x.plans.length) return 'stale_plan_version'
      if (x.approvals.includes(e.author)) return 'duplicate_approval'
      x.approvals.push(e.author)
      x.decisions.push({ kind: 'approved', by: e.author, event: id, time: e.time })
      if (x.approvals.length >= approvalsNeeded(s.config, s.members.values())) {
        x.escalation = null
        resolve(x, { reason: 'approved', at: e.time, event: id, strength: consensusOf(x).strength })
      }
      return
    }
    case 'session.message': {
      if (!x.participants.includes(e.author) && !isHuman(s, e.author)) return 'not_participant'
      const type = messageType(e.payload)
      x.messages.push({ event: id, author: e.author, type, text: e.payload.text, time: e.time, planVersion: x.plans.length })
      if (x.status === 'active') x.messagesSinceActive++
      return
    }
    case 'session.escalated':
      return escalated(s, x, e, id)
    case 'session.resolved': {
      if (x.status !== 'active') return 'session_not_active'
      const latest = x.plans[x.plans.length - 1]
      if (!latest || latest.event !== e.payload.plan) return 'not_latest_plan'
      if (e.payload.participants !== x.participants.length) return 'participants_differ'
      const c = consensusOf(x)
      if (!c.reached) return 'no_consensus'
      resolve(x, { reason: 'consensus', at: e.time, event: id, strength: c.strength })
      return
    }
    case 'session.closed': {
      if (e.payload.reason === 'inactivity') {
        if (x.status !== 'resolved') return 'session_not_settled'
        if (e.time - x.lastActivity < s.config.inactivityTimeoutMs) return 'not_inactive'
      } else {
        if (x.status === 'escalated') return 'session_escalated'
        // Recomputed like every derived event: the work the session was about is done.
        if (!x.tasks.every((t) => s.tasks.get(t)?.status === 'completed')) return 'tasks_not_completed'
      }
      x.status = 'closed'
      x.closedAt = e.time
      x.closeReason = e.payload.reason
      return
    }
    case 'escalation.claimed': {
      const esc = x.status === 'escalated' ? x.escalation : null
      if (!esc) return 'not_escalated'
      if (e.payload.release) {
        if (esc.claimedBy !== e.author) return 'not_claimer'
        esc.claimedBy = null
        x.decisions.push({ kind: 'released', by: e.author, event: id, time: e.time })
        return
      }
      if (esc.claimedBy !== null && esc.claimedBy !== e.author) return 'already_claimed'
      esc.claimedBy = e.author
      x.decisions.push({ kind: 'claimed', by: e.author, event: id, time: e.time })
      return
    }
    case 'escalation.resolved': {
      if (x.status !== 'escalated') return 'not_escalated'
      x.decisions.push({ kind: 'resolved', by: e.author, event: id, time: e.time, text: e.payload.decision })
      x.escalation = null
      resolve(x, { reason: 'human_decision', at: e.time, event: id, strength: consensusOf(x).strength, decision: e.payload.decision })
      return
    }
    case 'escalation.returned': {
      if (x.status !== 'escalated') return 'not_escalated'
      x.decisions.push({ kind: 'returned', by: e.author, event: id, time: e.time, text: e.payload.guidance })
      x.status = 'active'
      x.escalation = null
      x.activeSince = e.time
      x.activeBy = e.author
      x.activeEvent = id
      x.witnessedAt = null
      x.witnessedBy = null
      awaitWitness(s, x, e.seq, w)
      x.messagesSinceActive = 0
      return
    }
  }
}

function resolve(x: SessionState, r: NonNullable<SessionState['resolution']>): void {
  x.status = 'resolved'
  x.resolution = r
}

function escalated(s: RoomState, x: SessionState, e: Extract<AnyEvent, { kind: 'session.escalated' }>, id: EventId): string | void {
  if (x.status !== 'active') return 'session_not_active'
  const p = e.payload
  if (p.reason === 'message_limit') {
    if (p.threshold !== s.config.escalationThreshold) return 'threshold_differs'
    if (x.messagesSinceActive <= p.threshold) return 'under_message_limit'
  } else if (p.reason === 'duration') {
    if (p.maxDurationMs !== s.config.maxSessionDurationMs) return 'duration_differs'
    const start = durationStart(x)
    if (start === null) return 'duration_unwitnessed'
    if (e.time - start < p.maxDurationMs) return 'under_duration'
  } else if (!x.participants.includes(e.author) && !isHuman(s, e.author)) {
    return 'not_participant'
  }
  const esc = { reason: p.reason, at: e.time, event: id, claimedBy: null, ...(p.reason === 'requested' ? { note: p.note } : {}) }
  x.status = 'escalated'
  x.escalation = esc
  x.escalations.push({ ...esc })
}
