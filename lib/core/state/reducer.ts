/**
 * The fold: applies one admitted event to a draft state. Called in (lamport, id) order, so
 * the result is a function of the event set alone (ADR 0006). An event that no longer makes
 * sense at its position (a stale plan version, an invite used up) is ignored and counted,
 * never thrown.
 */
import type { AnyEvent } from '../events/envelope'
import type { StoredEvent } from '../log/stored'
import { copyMember, copyTask, inPlace, type Writer } from './journal'
import { reduceSession } from './reduce-session'
import type { PeerId } from '../ids'
import type { MemberState, RoomState, TaskState } from './types'

export type Ignore = string
type Handler<K extends AnyEvent['kind']> = (s: RoomState, e: Extract<AnyEvent, { kind: K }>, id: StoredEvent['id'], w: Writer) => Ignore | void

/**
 * Fold one stored event into `s` (mutating it). Every change to a Map or a record goes through
 * `w`, so a Fold can checkpoint by journal (ADR 0062); the default edits in place.
 */
export function reduce(s: RoomState, stored: StoredEvent, w: Writer = inPlace): void {
  const e = stored.event
  s.applied++
  s.lastTime = Math.max(s.lastTime, e.time)
  const fork = s.quarantined.get(e.author)
  const why = fork !== undefined && e.seq >= fork ? 'quarantined' : dispatch(s, e, stored.id, w)
  if (why) w.set(s.ignored, why, (s.ignored.get(why) ?? 0) + 1)
}

function dispatch(s: RoomState, e: AnyEvent, id: StoredEvent['id'], w: Writer): Ignore | void {
  if (e.kind === 'room.created') return roomCreated(s, e, id, w)
  if (e.kind === 'member.joined') return memberJoined(s, e, id, w)
  const member = s.members.get(e.author)
  // Admission follows the author's own chain; this also honours invite use limits.
  if (!member || member.left) return 'not_member'
  switch (e.kind) {
    case 'room.configured':
      s.config = { ...s.config, ...e.payload.config }
      return
    case 'member.left': {
      const leaving = w.own(s.members, e.author, copyMember) as MemberState
      leaving.left = true
      // A member who leaves stops holding tasks, so no new sessions open around them.
      releaseAll(s, e.author, w)
      return
    }
    case 'member.revoked': {
      const target = s.members.get(e.payload.member)
      if (!target) return 'unknown_member'
      if (target.role === 'owner') return 'cannot_revoke_owner'
      if (target.role === 'admin' && member.role !== 'owner') return 'only_owner_revokes_admin'
      const revoked = w.own(s.members, target.peerId, copyMember) as MemberState
      revoked.left = true
      revoked.revoked = true
      releaseAll(s, target.peerId, w)
      return
    }
    case 'task.claimed':
      return taskClaimed(s, e, id, w)
    case 'task.released':
    case 'task.completed':
      return taskDone(s, e, w)
    case 'rule.added':
      w.set(s.rules, e.payload.rule.name, { rule: e.payload.rule, event: id })
      return
    case 'rule.removed':
      return w.delete(s.rules, e.payload.name) ? undefined : 'unknown_rule'
    case 'dependency.detected': {
      const d = e.payload.dependency
      const key = `${d.task1}|${d.task2}|${d.relationship}`
      if (s.dependencies.has(key)) return 'duplicate_dependency'
      w.set(s.dependencies, key, { dependency: d, event: id, detectedBy: e.author })
      return
    }
    default:
      return reduceSession(s, e, id, w)
  }
}

const roomCreated: Handler<'room.created'> = (s, e, id, w) => {
  const p = e.payload
  s.name = p.name
  s.owner = e.author
  s.open = p.open
  s.config = { ...s.config, ...p.config }
  w.set(s.members, e.author, { peerId: e.author, ...p.owner, role: 'owner', joinedAt: e.time, joinEvent: id, left: false })
}

const memberJoined: Handler<'member.joined'> = (s, e, id, w) => {
  const { invite, displayName, kind, capabilities } = e.payload
  if (invite) {
    const key = `${invite.issuer}/${invite.nonce}`
    const used = s.inviteUses.get(key) ?? 0
    if (used >= invite.maxUses) return 'invite_used_up'
    w.set(s.inviteUses, key, used + 1)
  }
  const role = invite ? invite.role : 'reviewer'
  w.set(s.members, e.author, { peerId: e.author, displayName, kind, role, capabilities, joinedAt: e.time, joinEvent: id, left: false })
}

const taskClaimed: Handler<'task.claimed'> = (s, e, id, w) => {
  const taskId = e.payload.taskId
  const held = s.tasks.get(taskId)
  if (!held || held.status !== 'claimed') {
    w.set(s.tasks, taskId, { task: e.payload, claimedBy: e.author, claimants: [e.author], claims: { [e.author]: id }, status: 'claimed' })
    return
  }
  if (held.claimedBy !== e.author && held.claimants.includes(e.author)) return 'already_claimed'
  const t = w.own(s.tasks, taskId, copyTask) as TaskState
  if (t.claimedBy === e.author) {
    t.task = e.payload
    t.claims[e.author] = id
    return
  }
  // A second agent claiming a held task: the conflict `due` turns into a session.
  t.claimants.push(e.author)
  t.claims[e.author] = id
}

function taskDone(s: RoomState, e: Extract<AnyEvent, { kind: 'task.released' | 'task.completed' }>, w: Writer): Ignore | void {
  const held = s.tasks.get(e.payload.taskId)
  if (!held || held.status !== 'claimed' || !held.claimants.includes(e.author)) return 'not_claimant'
  const t = w.own(s.tasks, e.payload.taskId, copyTask) as TaskState
  if (e.kind === 'task.completed') {
    t.status = 'completed'
    t.claimants = [e.author]
    t.claimedBy = e.author
    return
  }
  release(t, e.author)
}

/** Releases every task `who` holds (they left or were revoked). */
function releaseAll(s: RoomState, who: PeerId, w: Writer): void {
  for (const [taskId, t] of s.tasks) if (t.status === 'claimed' && t.claimants.includes(who)) release(w.own(s.tasks, taskId, copyTask) as TaskState, who)
}

function release(t: TaskState, who: PeerId): void {
  t.claimants = t.claimants.filter((c) => c !== who)
  delete t.claims[who]
  if (t.claimants.length === 0) t.status = 'released'
  else t.claimedBy = t.claimants[0]
}
