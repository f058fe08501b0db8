/**
 * The fold: applies one admitted event to a draft state. Called in (lamport, id) order, so
 * the result is a function of the event set alone (ADR 0006). An event that no longer makes
 * sense at its position (a stale plan version, an invite used up) is ignored and counted,
 * never thrown.
 */
import { EVERYTHING_COUNTS, type AuthorityFacts } from '../authority/authority'
import { inviteKey } from '../authority/standing'
import type { AnyEvent } from '../events/envelope'
import type { StoredEvent } from '../log/stored'
import { copyMember, copyTask, inPlace, type Writer } from './journal'
import { reduceSession, witnessCitation } from './reduce-session'
import { linkTasks } from '../sessions/related'
import type { PeerId } from '../ids'
import type { MemberState, RoomState, TaskState } from './types'

export type Ignore = string
type Handler<K extends AnyEvent['kind']> = (s: RoomState, e: Extract<AnyEvent, { kind: K }>, id: StoredEvent['id'], w: Writer, facts: AuthorityFacts) => Ignore | void

/**
 * Fold one stored event into `s` (mutating it). Every change to a Map or a record goes through
 * `w`, so a Fold can checkpoint by journal (ADR 0062); the default edits in place. `facts`
 * answers what only the whole set decides: which joins admit and which revocations take
 * effect (ADR 0065). `e`: the event as `readOnce` gives it, when the caller keeps one.
 */
export function reduce(s: RoomState, stored: StoredEvent, w: Writer = inPlace, facts: AuthorityFacts = EVERYTHING_COUNTS, e: AnyEvent = readOnce(stored.event)): void {
  s.applied++
  s.lastTime = Math.max(s.lastTime, e.time)
  const fork = s.quarantined.get(e.author)
  const why = fork !== undefined && e.seq >= fork ? 'quarantined' : dispatch(s, e, stored.id, w, facts)
  if (why) w.set(s.ignored, why, (s.ignored.get(why) ?? 0) + 1)
  if (s.awaitingWitness.size > 0) {
    for (const d of e.deps) {
      const ref = facts.refOf(d)
      if (ref) witnessCitation(s, ref.author, ref.seq, e.author, e.time, w)
    }
  }
}

/**
 * The event with its payload read once: the log decodes a bulky payload again on every read
 * once the event is folded (it keeps only the bytes), and the handlers read `e.payload` several
 * times per event, so a replay would decode and parse each plan or message three or four times.
 */
export function readOnce(e: AnyEvent): AnyEvent {
  const { v, room, kind, author, seq, prev, deps, lamport, time, payload } = e
  return { v, room, kind, author, seq, prev, deps, lamport, time, payload, get sig() { return e.sig } } as AnyEvent
}

function dispatch(s: RoomState, e: AnyEvent, id: StoredEvent['id'], w: Writer, facts: AuthorityFacts): Ignore | void {
  if (e.kind === 'room.created') return roomCreated(s, e, id, w, facts)
  if (e.kind === 'member.joined') return memberJoined(s, e, id, w, facts)
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
      // Who may revoke whom is decided on causal history (authority/standing.ts).
      if (facts.actVoid(id)) return 'revocation_void'
      const target = s.members.get(e.payload.member)
      // A key that has not joined (yet) is banned all the same: its events never count.
      if (!target) return
      const revoked = w.own(s.members, target.peerId, copyMember) as MemberState
      revoked.left = true
      revoked.revoked = true
      releaseAll(s, target.peerId, w)
      return
    }
    case 'member.renamed': {
      const renamed = w.own(s.members, e.author, copyMember) as MemberState
      renamed.displayName = e.payload.displayName
      return
    }
    case 'invite.issued':
      return inviteIssued(s, e, id, w, facts)
    case 'invite.revoked':
      return inviteRevoked(s, e, id, w, facts)
    case 'task.claimed':
      return taskClaimed(s, e, id, w, facts)
    case 'task.released':
    case 'task.completed':
      return taskDone(s, e, id, w)
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
      for (const [task, linked] of linkTasks(s.links, d.task1, d.task2)) w.set(s.links, task, linked)
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

const memberJoined: Handler<'member.joined'> = (s, e, id, w, facts) => {
  const { invite, displayName, kind, capabilities } = e.payload
  if (facts.joinVoid(id) !== undefined) return 'invite_void'
  if (invite) {
    const key = inviteKey(invite.issuer, invite.nonce)
    const used = s.inviteUses.get(key) ?? 0
    if (used >= invite.maxUses) return 'invite_used_up'
    w.set(s.inviteUses, key, used + 1)
    if (!s.invites.get(key)?.role) {
      const { role, expires, maxUses } = invite
      w.set(s.invites, key, { ...s.invites.get(key), issuer: invite.issuer, nonce: invite.nonce, role, expires, maxUses })
    }
  }
  const role = invite ? invite.role : 'reviewer'
  w.set(s.members, e.author, { peerId: e.author, displayName, kind, role, capabilities, joinedAt: e.time, joinEvent: id, left: false })
}

const inviteIssued: Handler<'invite.issued'> = (s, e, id, w) => {
  const { issuer, nonce, role, expires, maxUses } = e.payload.invite
  const key = inviteKey(issuer, nonce)
  if (s.invites.get(key)?.issuedEvent) return 'duplicate_invite'
  w.set(s.invites, key, { ...s.invites.get(key), issuer, nonce, role, expires, maxUses, label: e.payload.label, issuedEvent: id, issuedAt: e.time })
}

const inviteRevoked: Handler<'invite.revoked'> = (s, e, id, w, facts) => {
  if (facts.actVoid(id)) return 'revocation_void'
  const { issuer, nonce } = e.payload
  const key = inviteKey(issuer, nonce)
  const known = s.invites.get(key)
  // Only the owner or the issuer takes back an admin invite (authority/standing.ts).
  if (known?.role === 'admin' && e.author !== s.owner && e.author !== issuer) return 'not_allowed'
  if (known?.revoked) return 'already_revoked'
  w.set(s.invites, key, { ...known, issuer, nonce, revoked: { by: e.author, event: id, at: e.time } })
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

function taskDone(s: RoomState, e: Extract<AnyEvent, { kind: 'task.released' | 'task.completed' }>, id: StoredEvent['id'], w: Writer): Ignore | void {
  const held = s.tasks.get(e.payload.taskId)
  if (!held || held.status !== 'claimed' || !held.claimants.includes(e.author)) return 'not_claimant'
  const t = w.own(s.tasks, e.payload.taskId, copyTask) as TaskState
  if (e.kind === 'task.completed') {
    t.status = 'completed'
    t.completion = id
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
