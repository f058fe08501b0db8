/** One line of the room's activity feed: who did what, in words, from a stored event. */
import type { AnyEvent } from '../events/envelope'
import type { RoomState } from './types'

export interface ActivityItem {
  id: string
  kind: AnyEvent['kind']
  author: string
  /** The author's display name, or a short peer id for strangers. */
  who: string
  time: number
  what: string
}

/** Describes an event for people; never throws on odd payloads. */
export function describeEvent(state: RoomState, id: string, e: AnyEvent): ActivityItem {
  const who = state.members.get(e.author)?.displayName ?? `…${e.author.slice(-6)}`
  return { id, kind: e.kind, author: e.author, who, time: e.time, what: summarize(e) }
}

function summarize(e: AnyEvent): string {
  switch (e.kind) {
    case 'room.created': return `created the room “${e.payload.name}”`
    case 'room.configured': return 'changed the room configuration'
    case 'member.joined': return `joined as ${e.payload.invite?.role ?? 'reviewer'}`
    case 'member.left': return 'left the room'
    case 'member.revoked': return `revoked a member${e.payload.reason ? ` (${e.payload.reason})` : ''}`
    case 'member.renamed': return `is now called “${e.payload.displayName}”`
    case 'invite.issued': return `issued ${e.payload.invite.role} invite${e.payload.label ? ` “${e.payload.label}”` : ''}`
    case 'invite.revoked': return `revoked an invite${e.payload.reason ? ` (${e.payload.reason})` : ''}`
    case 'task.claimed': return `claimed “${e.payload.title}” in ${e.payload.repository}`
    case 'task.released': return `released ${e.payload.taskId}`
    case 'task.completed': return `completed ${e.payload.taskId}`
    case 'rule.added': return `added the rule ${e.payload.rule.name}`
    case 'rule.removed': return `removed the rule ${e.payload.name}`
    case 'dependency.detected': return `found ${e.payload.dependency.relationship}: ${e.payload.dependency.task1} ↔ ${e.payload.dependency.task2}`
    case 'session.opened': return `opened a ${e.payload.type} session`
    case 'plan.proposed': return `proposed plan v${e.payload.version}`
    case 'plan.edited': return `edited the plan (v${e.payload.version})`
    case 'plan.approved': return `approved plan v${e.payload.version}`
    case 'session.message': return `${e.payload.type ?? 'said'}: ${e.payload.text.slice(0, 120)}`
    case 'session.escalated': return `escalated a session (${e.payload.reason.replaceAll('_', ' ')})`
    case 'session.resolved': return 'resolved a session'
    case 'session.closed': return 'closed a session'
    case 'escalation.claimed': return 'claimed an escalation'
    case 'escalation.resolved': return 'resolved an escalation'
    case 'escalation.returned': return 'returned an escalation to the agents'
  }
}
