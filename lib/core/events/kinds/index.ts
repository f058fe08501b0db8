/**
 * The registry of event kinds (`noun.verb`, past tense) and their payload schemas.
 * A kind's schema may only be extended compatibly; a breaking change is a new kind.
 */
import type { z } from 'zod'
import { dependencyDetectedSchema } from './dependency'
import { escalationClaimedSchema, escalationResolvedSchema, escalationReturnedSchema } from './escalation'
import { inviteIssuedSchema, inviteRevokedSchema } from './invite'
import { memberJoinedSchema, memberLeftSchema, memberRenamedSchema, memberRevokedSchema } from './member'
import { sessionMessageSchema } from './message'
import { planApprovedSchema, planEditedSchema, planProposedSchema } from './plan'
import { roomConfiguredSchema, roomCreatedSchema } from './room'
import { ruleAddedSchema, ruleRemovedSchema } from './rule'
import { sessionClosedSchema, sessionEscalatedSchema, sessionOpenedSchema, sessionResolvedSchema } from './session'
import { taskClaimedSchema, taskCompletedSchema, taskReleasedSchema } from './task'

export const payloadSchemas = {
  'room.created': roomCreatedSchema,
  'room.configured': roomConfiguredSchema,
  'member.joined': memberJoinedSchema,
  'member.left': memberLeftSchema,
  'member.revoked': memberRevokedSchema,
  'member.renamed': memberRenamedSchema,
  'invite.issued': inviteIssuedSchema,
  'invite.revoked': inviteRevokedSchema,
  'task.claimed': taskClaimedSchema,
  'task.released': taskReleasedSchema,
  'task.completed': taskCompletedSchema,
  'rule.added': ruleAddedSchema,
  'rule.removed': ruleRemovedSchema,
  'dependency.detected': dependencyDetectedSchema,
  'session.opened': sessionOpenedSchema,
  'plan.proposed': planProposedSchema,
  'plan.edited': planEditedSchema,
  'plan.approved': planApprovedSchema,
  'session.message': sessionMessageSchema,
  'session.escalated': sessionEscalatedSchema,
  'session.resolved': sessionResolvedSchema,
  'session.closed': sessionClosedSchema,
  'escalation.claimed': escalationClaimedSchema,
  'escalation.resolved': escalationResolvedSchema,
  'escalation.returned': escalationReturnedSchema,
} as const

export type EventKind = keyof typeof payloadSchemas
export const EVENT_KINDS = Object.keys(payloadSchemas) as EventKind[]
/** The parsed payload of a kind. */
export type PayloadOf<K extends EventKind> = z.output<(typeof payloadSchemas)[K]>
/** What an author passes in for a kind (before defaults are applied). */
export type PayloadInput<K extends EventKind> = z.input<(typeof payloadSchemas)[K]>

/** True if the string names a known kind. */
export const isEventKind = (s: string): s is EventKind => Object.hasOwn(payloadSchemas, s)
