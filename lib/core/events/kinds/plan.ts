/** `plan.proposed` (a planner's version), `plan.edited` (a human's version), `plan.approved`. */
import { z } from 'zod'
import { planSchema } from '../../planner/plan'
import { sessionIdSchema } from './common'

/** Versions count from 1 per session; a version that is not latest + 1 is stale and ignored. */
export const planProposedSchema = z.object({ session: sessionIdSchema, version: z.number().int().min(1).max(1000), plan: planSchema })
export const planEditedSchema = planProposedSchema.extend({ note: z.string().max(2000).optional() })
export const planApprovedSchema = z.object({ session: sessionIdSchema, version: z.number().int().min(1).max(1000) })
export type PlanProposed = z.infer<typeof planProposedSchema>
export type PlanEdited = z.infer<typeof planEditedSchema>
export type PlanApproved = z.infer<typeof planApprovedSchema>
