/** Planners (DESIGN §2): the plan contract, the deterministic template planner, rendering and diffs. */
export { planSchema, type Plan } from './plan'
export { templatePlan, type TemplatePlanInput } from './template'
export { claimRank, rankClaimants } from './conflict'
export { renderPlan } from './render'
export { diffPlans, type PlanChange } from './diff'
export { PlannerInputError, type PlannerErrorReason } from './errors'
