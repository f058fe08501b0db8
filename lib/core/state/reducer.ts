/**
 * The fold: applies one admitted event to a draft state. Called in (lamport, id) order, so
 * the result is a function of the event set alone (ADR 0006). An event that no longer makes
 * sense at its position (a stale plan version, an invite used up) is ignored and counted,
 * never thrown.
 */
import type { AnyEvent } from '../events/envelope'
import type { StoredEvent } from '../log/stored'
import { reduceSession } from './reduce-session'
import type { PeerId } from '../ids'
import type { RoomState, TaskState } from './types'

export type Ignore = string
type Handler<K extends AnyEvent['kind']> = (s: RoomState, e: Extract<AnyEvent, { kind: K }>, id: StoredEvent['id']) => Ignore | void

/** Fold one stored event into `s` (mutating it). */
export function reduce(s: RoomState, stored: StoredEvent): void {
  const e = stored.event
  s.applied++
  s.lastTime = Math.max(s.lastTime, e.time)
  const fork = s.quarantined.get(e.author)
  const why = fork !== undefined && e.seq >= fork ? 'quarantined' : dispatch(s, e, stored.id)
  if (why) s.ignored.set(why, (s.ignored.get(why) ?? 0) + 1)
}

function dispatch(s: RoomState, e: AnyEvent, id: StoredEvent['id']): Ignore | void {
  if (e.kind === 'room.created') return roomCreated(s, e, id)
  if (e.kind === 'member.joined') return memberJoined(s, e, id)
  const member = s.members.get(e.author)
  // Admission follows the author's own chain; this also honours invite use limits.
  if (!member || member.left) return 'not_member'
  switch (e.kind) {
    case 'room.configured':
      s.config = { ...s.config, ...e.payload.config }
      return
    case 'member.left':
      member.left = true
      // A member who leaves stops holding tasks, so no new sessions open around them.
      for (const t of s.tasks.values()) if (t.status === 'claimed' && t.claimants.includes(e.author)) release(t, e.author)
      return
    case 'member.revoked': {
      const target = s.members.get(e.payload.member)
      if (!target) return 'unknown_member'
      if (target.role === 'owner') return 'cannot_revoke_owner'
      if (target.role === 'admin' && member.role !== 'owner') return 'only_owner_revokes_admin'
      target.left = true
      target.revoked = true
      for (const t of s.tasks.values()) if (t.status === 'claimed' && t.claimants.includes(target.peerId)) release(t, target.peerId)
      return
    }
    case 'task.claimed':
      return taskClaimed(s, e, id)
    case 'task.released':
    case 'task.completed':
      return taskDone(s, e)
    case 'rule.added':
      s.rules.set(e.payload.rule.name, { rule: e.payload.rule, event: id })
      return
    case 'rule.removed':
      return s.rules.delete(e.payload.name) ? undefined : 'unknown_rule'
    case 'dependency.detected': {
      const d = e.payload.dependency
      const key = `${d.task1}|${d.task2}|${d.relationship}`
      if (s.dependencies.has(key)) return 'duplicate_dependency'
      s.dependencies.set(key, { dependency: d, event: id, detectedBy: e.author })
      return
    }
    default:
      return reduceSession(s, e, id)
  }
}

const roomCreated: Handler<'room.created'> = (s, e, id) => {
  const p = e.payload
  s.name = p.name
  s.owner = e.author
  s.open = p.open
  s.config = { ...s.config, ...p.config }
  s.members.set(e.author, { peerId: e.author, ...p.owner, role: 'owner', joinedAt: e.time, joinEvent: id, left: false })
}

const memberJoined: Handler<'member.joined'> = (s, e, id) => {
  const { invite, displayName, kind, capabilities } = e.payload
  if (invite) {
    const key = `${invite.issuer}/${invite.nonce}`
    const used = s.inviteUses.get(key) ?? 0
    if (used >= invite.maxUses) return 'invite_used_up'
    s.inviteUses.set(key, used + 1)
  }
  const role = invite ? invite.role : 'reviewer'
  s.members.set(e.author, { peerId: e.author, displayName, kind, role, capabilities, joinedAt: e.time, joinEvent: id, left: false })
}

const taskClaimed: Handler<'task.claimed'> = (s, e, id) => {
  const t = s.tasks.get(e.payload.taskId)
  if (!t || t.status !== 'claimed') {
    s.tasks.set(e.payload.taskId, { task: e.payload, claimedBy: e.author, claimants: [e.author], claims: { [e.author]: id }, status: 'claimed' })
    return
  }
  if (t.claimedBy === e.author) {
    t.task = e.payload
    t.claims[e.author] = id
    return
  }
  if (t.claimants.includes(e.author)) return 'already_claimed'
  // A second agent claiming a held task: the conflict `due` turns into a session.
  t.claimants.push(e.author)
  t.claims[e.author] = id
}

function taskDone(s: RoomState, e: Extract<AnyEvent, { kind: 'task.released' | 'task.completed' }>): Ignore | void {
  const t = s.tasks.get(e.payload.taskId)
  if (!t || t.status !== 'claimed' || !t.claimants.includes(e.author)) return 'not_claimant'
  if (e.kind === 'task.completed') {
    t.status = 'completed'
    t.claimants = [e.author]
    t.claimedBy = e.author
    return
  }
  release(t, e.author)
}

function release(t: TaskState, who: PeerId): void {
  t.claimants = t.claimants.filter((c) => c !== who)
  delete t.claims[who]
  if (t.claimants.length === 0) t.status = 'released'
  else t.claimedBy = t.claimants[0]
}
