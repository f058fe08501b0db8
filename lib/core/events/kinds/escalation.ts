/** Human actions on escalations: `escalation.claimed`, `escalation.resolved`, `escalation.returned`. */
import { z } from 'zod'
import { sessionIdSchema } from './common'

/** A soft lock; `release` gives it up. */
export const escalationClaimedSchema = z.object({ session: sessionIdSchema, release: z.boolean().optional() })
export const escalationResolvedSchema = z.object({
  session: sessionIdSchema,
  decision: z.string().min(1).max(2000),
  note: z.string().max(4000).optional(),
})
/** Sent back to the agents with guidance; the session becomes active again. */
export const escalationReturnedSchema = z.object({ session: sessionIdSchema, guidance: z.string().min(1).max(4000) })
export type EscalationClaimed = z.infer<typeof escalationClaimedSchema>
export type EscalationResolved = z.infer<typeof escalationResolvedSchema>
export type EscalationReturned = z.infer<typeof escalationReturnedSchema>
