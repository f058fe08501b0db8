/** Read-only views of the folded state for the UI, the CLI and agents. */
import type { EscalationReason } from '../events/kinds/session'
import type { EventId, PeerId, SessionId } from '../ids'
import { consensusOf, type ConsensusView } from '../sessions/consensus'
import { approvalsNeeded } from '../sessions/quorum'
import type { DependencyState, MemberState, SessionState, RoomState, TaskState } from './types'

/** Current members (not left, not quarantined), by display name then id. */
export function selectMembers(s: RoomState): MemberState[] {
  return [...s.members.values()]
    .filter((m) => !m.left && !s.quarantined.has(m.peerId))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || (a.peerId < b.peerId ? -1 : 1))
}

/** A member's role, or null if not a current member. */
export const selectRole = (s: RoomState, peer: PeerId) => {
  const m = s.members.get(peer)
  return m && !m.left ? m.role : null
}

/** Tasks grouped by repository, each group sorted by task id. */
export function selectTasksByRepository(s: RoomState): Map<string, TaskState[]> {
  const out = new Map<string, TaskState[]>()
  for (const t of [...s.tasks.values()].sort((a, b) => (a.task.taskId < b.task.taskId ? -1 : 1))) {
    const group = out.get(t.task.repository) ?? []
    group.push(t)
    out.set(t.task.repository, group)
  }
  return out
}

/**
 * Announced dependencies, strongest first. `current` keeps only those whose two tasks are
 * still held or completed (a released task's edges are history).
 */
export function selectDependencies(s: RoomState, opts: { current?: boolean } = {}): DependencyState[] {
  const held = (taskId: string) => {
    const status = s.tasks.get(taskId)?.status
    return status === 'claimed' || status === 'completed'
  }
  return [...s.dependencies.values()]
    .filter((d) => !opts.current || (held(d.dependency.task1) && held(d.dependency.task2)))
    .sort((a, b) => b.dependency.confidence - a.dependency.confidence || (a.event < b.event ? -1 : 1))
}

export interface SessionView extends SessionState {
  consensus: ConsensusView
  /** Participants agreeing with the latest plan version. */
  agreed: PeerId[]
  /** Hidden from "active" views; still in the log and the timeline. */
  archived: boolean
}

/** A session with its consensus view, or undefined. */
export function selectSession(s: RoomState, id: SessionId): SessionView | undefined {
  const x = s.sessions.get(id)
  if (!x) return undefined
  const consensus = consensusOf(x)
  return { ...x, consensus, agreed: consensus.agreeing, archived: x.status === 'closed' }
}

/** Sessions, newest first; `active` limits to those not closed. */
export function selectSessions(s: RoomState, opts: { active?: boolean } = {}): SessionView[] {
  return [...s.sessions.keys()]
    .map((id) => selectSession(s, id) as SessionView)
    .filter((v) => !opts.active || !v.archived)
    .sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? -1 : 1))
}

export interface InboxItem {
  session: SessionId
  type: SessionState['type']
  tasks: string[]
  reason: NonNullable<SessionState['escalation']>['reason']
  escalatedAt: number
  claimedBy: PeerId | null
  note?: string
  participants: PeerId[]
  messages: number
  latestPlan: number
}

/** Open escalations, oldest first. */
export function selectInbox(s: RoomState): InboxItem[] {
  const items: InboxItem[] = []
  for (const x of s.sessions.values()) {
    if (x.status !== 'escalated' || !x.escalation) continue
    const e = x.escalation
    items.push({
      session: x.id,
      type: x.type,
      tasks: x.tasks,
      reason: e.reason,
      escalatedAt: e.at,
      claimedBy: e.claimedBy,
      ...(e.note ? { note: e.note } : {}),
      participants: x.participants,
      messages: x.messages.length,
      latestPlan: x.plans.length,
    })
  }
  return items.sort((a, b) => a.escalatedAt - b.escalatedAt || (a.session < b.session ? -1 : 1))
}

/** CHORUS's outcome record (SLURP event) for one finished session. */
export interface Outcome {
  session: SessionId
  type: SessionState['type']
  tasks: string[]
  participants: PeerId[]
  relatedTasks: string[]
  startedAt: number
  endedAt: number
  messages: number
  outcome: 'consensus' | 'approved' | 'human_decision' | 'closed'
  consensusReached: boolean
  consensusStrength: number
  escalated: boolean
  decision?: string
}

/** Outcomes of every resolved or closed session, by end time. */
export function selectOutcomes(s: RoomState): Outcome[] {
  const out: Outcome[] = []
  for (const x of s.sessions.values()) {
    if (!x.resolution && x.status !== 'closed') continue
    const r = x.resolution
    out.push({
      session: x.id,
      type: x.type,
      tasks: x.tasks,
      participants: x.participants,
      relatedTasks: x.relatedTasks,
      startedAt: x.openedAt,
      endedAt: r?.at ?? x.closedAt ?? x.lastActivity,
      messages: x.messages.length,
      outcome: r?.reason ?? 'closed',
      consensusReached: r?.reason === 'consensus',
      consensusStrength: r?.strength ?? consensusOf(x).strength,
      escalated: x.escalations.length > 0,
      ...(r?.decision ? { decision: r.decision } : {}),
    })
  }
  return out.sort((a, b) => a.endedAt - b.endedAt || (a.session < b.session ? -1 : 1))
}

/** Outcomes as NDJSON, one record per line. */
export const outcomesNdjson = (s: RoomState): string => selectOutcomes(s).map((o) => JSON.stringify(o) + '\n').join('')

/** The room's configuration and identity. */
export const selectRoom = (s: RoomState) => ({ room: s.room, name: s.name, owner: s.owner, open: s.open, config: s.config })

/**
 * What a request for a human is about: agents that could not settle (`escalation`), agents
 * that settled but asked a human to sign the plan off (`approval`: a participant's request to
 * escalate while nobody objects to the latest plan), or a plan that some reviewers approved
 * and that waits for the rest of the quorum (`quorum`).
 */
export type RequestKind = 'escalation' | 'approval' | 'quorum'

/** An open request for a human, with the figures that explain it. */
export interface HumanRequest {
  /** The event that raised it (the escalation, or the first approval of the plan version). */
  id: EventId
  session: SessionId
  kind: RequestKind
  /** Why it escalated; absent for a quorum request. */
  reason?: EscalationReason
  note?: string
  at: number
  by: PeerId
  claimedBy: PeerId | null
  planVersion: number
  approvals: number
  needed: number
  /** Messages since the session last became active (the escalation threshold counts these). */
  messages: number
  threshold: number
  activeSince: number
  maxDurationMs: number
}

/** The open request of one session, if it has one; `needed` is `approvalsNeeded` for the room. */
export function requestOf(s: RoomState, x: SessionState, needed: number): HumanRequest | null {
  const base = {
    session: x.id,
    planVersion: x.plans.length,
    approvals: x.approvals.length,
    needed,
    messages: x.messagesSinceActive,
    threshold: s.config.escalationThreshold,
    activeSince: x.activeSince,
    maxDurationMs: s.config.maxSessionDurationMs,
  }
  if (x.status === 'escalated' && x.escalation) {
    const e = x.escalation
    const by = x.history.find((h) => h.event === e.event)?.by ?? x.openedBy
    const asksSignOff = e.reason === 'requested' && x.plans.length > 0 && consensusOf(x).concerns.length === 0
    return { ...base, id: e.event, kind: asksSignOff ? 'approval' : 'escalation', reason: e.reason, ...(e.note ? { note: e.note } : {}), at: e.at, by, claimedBy: e.claimedBy }
  }
  if (x.status === 'active' && x.approvals.length > 0 && x.approvals.length < needed) {
    let first: (typeof x.decisions)[number] | undefined
    for (let i = x.decisions.length - 1; i >= 0; i--) {
      const d = x.decisions[i]
      if (d.kind === 'approved' && d.by === x.approvals[0]) {
        first = d
        break
      }
    }
    if (!first) return null
    return { ...base, id: first.event, kind: 'quorum', at: first.time, by: first.by, claimedBy: null }
  }
  return null
}

/** Every open request for a human (escalations, approval requests, plans awaiting quorum), oldest first. */
export function selectRequests(s: RoomState): HumanRequest[] {
  const needed = approvalsNeeded(s.config, s.members.values())
  const out: HumanRequest[] = []
  for (const x of s.sessions.values()) {
    const r = requestOf(s, x, needed)
    if (r) out.push(r)
  }
  return out.sort((a, b) => a.at - b.at || (a.session < b.session ? -1 : 1))
}
