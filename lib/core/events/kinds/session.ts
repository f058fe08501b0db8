/**
 * Session lifecycle: `session.opened`, `session.escalated`, `session.resolved`,
 * `session.closed`. Derived variants carry the ids of the events that justify them, so any
 * peer can recompute them from referenced events alone (ADR 0005).
 */
import { z } from 'zod'
import { eventIdSchema, sessionIdSchema, shortText } from './common'

export const SESSION_TYPES = ['dependency', 'conflict', 'planning'] as const
export type SessionType = (typeof SESSION_TYPES)[number]

export const sessionOpenedSchema = z.object({
  session: sessionIdSchema,
  type: z.enum(SESSION_TYPES),
  /** Task ids, sorted and distinct. */
  tasks: z.array(z.string().min(1).max(200)).min(1).max(50),
  /** The relationship (dependency), `conflict`, or the planning topic. */
  rule: shortText,
  /** dependency: [the dependency.detected]; conflict: [two task.claimed]; planning: []. */
  evidence: z.array(eventIdSchema).max(2),
})
export type SessionOpened = z.infer<typeof sessionOpenedSchema>

export const ESCALATION_REASONS = ['message_limit', 'duration', 'requested'] as const
export type EscalationReason = (typeof ESCALATION_REASONS)[number]

export const sessionEscalatedSchema = z.discriminatedUnion('reason', [
  z.object({
    session: sessionIdSchema,
    reason: z.literal('message_limit'),
    threshold: z.number().int().min(1).max(500),
    opened: eventIdSchema,
    /** More than `threshold` distinct `session.message` events of this session. */
    messages: z.array(eventIdSchema).min(2).max(501),
  }),
  z.object({
    session: sessionIdSchema,
    reason: z.literal('duration'),
    maxDurationMs: z.number().int().min(1),
    opened: eventIdSchema,
  }),
  z.object({ session: sessionIdSchema, reason: z.literal('requested'), note: z.string().min(1).max(2000) }),
])
export type SessionEscalated = z.infer<typeof sessionEscalatedSchema>

export const sessionResolvedSchema = z.object({
  session: sessionIdSchema,
  reason: z.literal('consensus'),
  /** The plan version agreed with (a plan.proposed or plan.edited). */
  plan: eventIdSchema,
  /** Agreement messages, one per distinct participant. */
  agreements: z.array(eventIdSchema).min(1).max(50),
  /** Participant count the quorum was computed for. */
  participants: z.number().int().min(1).max(50),
})
export type SessionResolved = z.infer<typeof sessionResolvedSchema>

export const sessionClosedSchema = z.object({
  session: sessionIdSchema,
  reason: z.enum(['inactivity', 'completed']),
  note: z.string().max(2000).optional(),
  /** completed: [the session.opened, then one task.completed per task of the session]. */
  evidence: z.array(eventIdSchema).min(2).max(51).optional(),
})
export type SessionClosed = z.infer<typeof sessionClosedSchema>
