/**
 * `dependency.detected`: a derived event. It names the two `task.claimed` events (and the
 * `rule.added` event for a custom rule) so any peer can recompute it (ADR 0005).
 */
import { z } from 'zod'
import { eventIdSchema } from './common'

export const dependencySchema = z.object({
  task1: z.string().min(1).max(200),
  task2: z.string().min(1).max(200),
  relationship: z.string().min(1).max(64),
  confidence: z.number().gt(0).lte(1),
  reason: z.string().max(2000),
})

export const dependencyDetectedSchema = z.object({
  dependency: dependencySchema,
  /** The `task.claimed` events of task1 and task2, in that order. */
  claims: z.tuple([eventIdSchema, eventIdSchema]),
  /** The `rule.added` event, when the relationship is a custom rule. */
  rule: eventIdSchema.optional(),
})
export type DependencyDetected = z.infer<typeof dependencyDetectedSchema>
