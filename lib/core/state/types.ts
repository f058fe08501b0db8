/**
 * The folded room state. Plain data (Maps, arrays, records) so it hashes canonically; changed
 * only by the reducer, through a Writer (journal.ts): records a checkpoint shares are copied,
 * never edited, so a record read from the state may be replaced rather than updated later.
 */
import type { AnyEvent } from '../events/envelope'
import type { Role } from '../events/kinds/common'
import type { MessageType } from '../events/kinds/message'
import type { RoomConfig } from '../events/kinds/room'
import type { EscalationReason, SessionType } from '../events/kinds/session'
import type { EventId, PeerId, RoomId, SessionId } from '../ids'
import type { Plan } from '../planner/plan'
import type { CustomRule, Dependency, Task } from '../rules/types'

export interface MemberState {
  peerId: PeerId
  displayName: string
  kind: 'human' | 'agent'
  role: Role
  capabilities: string[]
  joinedAt: number
  joinEvent: EventId
  left: boolean
  /** Removed by an admin (`member.revoked`): never a member again. */
  revoked?: boolean
}

/**
 * An invite the log knows of: announced by `invite.issued` (body without signature), seen in
 * a redeeming join, or revoked. Keyed `issuer/nonce`.
 */
export interface InviteState {
  issuer: PeerId
  nonce: string
  /** From `invite.issued` or the first redeeming join in fold order. */
  role?: Exclude<Role, 'owner'>
  expires?: number
  maxUses?: number
  label?: string
  issuedEvent?: EventId
  issuedAt?: number
  revoked?: { by: PeerId; event: EventId; at: number }
}

export interface TaskState {
  task: Task
  /** The holder: the first active claimant. */
  claimedBy: PeerId
  /** Active claimants in fold order; more than one is a conflict. */
  claimants: PeerId[]
  /** The claim event of each claimant (evidence for derived events). */
  claims: Record<string, EventId>
  status: 'claimed' | 'released' | 'completed'
  /** The `task.completed` that completed it (evidence for a completed session close). */
  completion?: EventId
}

export interface DependencyState {
  dependency: Dependency
  event: EventId
  detectedBy: PeerId
}

export interface PlanVersion {
  version: number
  plan: Plan
  event: EventId
  author: PeerId
  by: 'planner' | 'human'
  time: number
}

export interface MessageState {
  event: EventId
  author: PeerId
  type: MessageType
  text: string
  time: number
  /** The plan version current when the message arrived (0 = none yet). */
  planVersion: number
}

export interface Decision {
  kind: 'approved' | 'edited' | 'claimed' | 'released' | 'resolved' | 'returned'
  by: PeerId
  event: EventId
  time: number
  text?: string
}

export interface EscalationState {
  reason: EscalationReason
  at: number
  event: EventId
  claimedBy: PeerId | null
  note?: string
}

export interface Resolution {
  reason: 'consensus' | 'approved' | 'human_decision'
  at: number
  event: EventId
  /** Agreeing participants / participants, at resolution. */
  strength: number
  decision?: string
}

export interface HistoryEntry {
  kind: AnyEvent['kind']
  event: EventId
  at: number
  by: PeerId
}

export type SessionStatus = 'active' | 'resolved' | 'escalated' | 'closed'

export interface SessionState {
  id: SessionId
  type: SessionType
  tasks: string[]
  rule: string
  status: SessionStatus
  participants: PeerId[]
  relatedTasks: string[]
  openedAt: number
  openedBy: PeerId
  openedEvent: EventId
  /** When the session last became active (opened or returned), by its activating event's own time. */
  activeSince: number
  /** Who made it active (the opener, or the reviewer who returned it), and with which event. */
  activeBy: PeerId
  activeEvent: EventId
  /**
   * The time of the first event, in fold order, by anyone else that acted in the session or
   * cited the activating author's chain from the activating event on: a clock the activating
   * author cannot set. Duration counts from the later of this and `activeSince`
   * (sessions/duration.ts); null until someone else has.
   */
  witnessedAt: number | null
  /** The author of that first event. */
  witnessedBy: PeerId | null
  /** Messages since it last became active: the escalation threshold counts these. */
  messagesSinceActive: number
  lastActivity: number
  plans: PlanVersion[]
  messages: MessageState[]
  /** Distinct reviewers approving the latest plan version. */
  approvals: PeerId[]
  escalation: EscalationState | null
  escalations: EscalationState[]
  decisions: Decision[]
  resolution: Resolution | null
  /** Every event that changed this session, in fold (causal) order: the timeline's spine. */
  history: HistoryEntry[]
  closedAt: number | null
  closeReason: 'inactivity' | 'completed' | null
}

export interface RoomState {
  room: RoomId
  name: string
  owner: PeerId | null
  open: boolean
  config: RoomConfig
  members: Map<PeerId, MemberState>
  /** Redemptions per invite (`issuer/nonce`): the first `maxUses` in fold order count. */
  inviteUses: Map<string, number>
  /** Invites announced, redeemed or revoked, by `issuer/nonce`. */
  invites: Map<string, InviteState>
  tasks: Map<string, TaskState>
  rules: Map<string, { rule: CustomRule; event: EventId }>
  /** Keyed `task1|task2|relationship`. */
  dependencies: Map<string, DependencyState>
  /** Each task's neighbours through `dependencies` (both directions): a session's related tasks. */
  links: Map<string, readonly string[]>
  sessions: Map<SessionId, SessionState>
  /** Activations not yet witnessed, by activating author: a later citation of its chain witnesses them. */
  awaitingWitness: Map<PeerId, Array<{ session: SessionId; event: EventId; seq: number }>>
  /** Authors quarantined for equivocation and the seq it starts at. */
  quarantined: Map<PeerId, number>
  /** Admitted events the fold ignored, by reason (e.g. a stale plan version). */
  ignored: Map<string, number>
  applied: number
  /** Highest event time folded: "now" as far as the set knows. */
  lastTime: number
}
