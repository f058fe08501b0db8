/** Read-only views of the folded state for the UI, the CLI and agents. */
import type { PeerId, SessionId } from '../ids'
import { consensusOf, type ConsensusView } from '../sessions/consensus'
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
