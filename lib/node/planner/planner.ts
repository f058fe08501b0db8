/** The planner contract: the template and the LLM planner both turn a PlanRequest into a Plan. */
import type { Plan } from '../../core/planner/plan'
import type { PlanRequest } from './request'

/** Writes a plan version; must always resolve to a schema-valid plan (fall back, never throw). */
export interface Planner {
  readonly kind: 'template' | 'llm'
  plan(req: PlanRequest): Promise<Plan>
}
