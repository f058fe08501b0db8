/**
 * The structured coordination plan (DESIGN §2), shared by the template planner, the LLM
 * planner, human edits (`plan.edited`) and the `plan.proposed` event schema.
 */
import { z } from 'zod'

const text = z.string().min(1).max(2000)

export const planSchema = z.object({
  /** One paragraph: what the session must settle. */
  summary: text,
  /** Which task goes first and why; `order` starts at 1, equal orders may run in parallel. */
  sequence: z
    .array(z.object({ taskId: z.string().min(1).max(200), order: z.number().int().min(1).max(100), reason: text }))
    .min(1)
    .max(50),
  /** Things one task produces that another consumes (an API spec, a migration, a flag name …). */
  artifacts: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        description: text,
        producer: z.string().min(1).max(200),
        consumers: z.array(z.string().min(1).max(200)).max(50),
      }),
    )
    .max(50),
  coordinationPoints: z.array(text).max(50),
  risks: z.array(text).max(50),
  successCriteria: z.array(text).max(50),
  /** Who wrote it: the template, an LLM (with the model), or a human; and why a fallback happened. */
  planner: z.object({
    kind: z.enum(['template', 'llm', 'human']),
    model: z.string().max(200).optional(),
    fallbackReason: z.string().max(500).optional(),
  }),
})
export type Plan = z.infer<typeof planSchema>
