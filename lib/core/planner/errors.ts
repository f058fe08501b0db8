/** Why the template planner refused its input. */
export type PlannerErrorReason = 'no-tasks'

/** Thrown by the template planner on input it cannot plan for (a caller bug, never remote input). */
export class PlannerInputError extends Error {
  constructor(readonly reason: PlannerErrorReason, message: string) {
    super(message)
    this.name = 'PlannerInputError'
  }
}
