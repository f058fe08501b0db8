/**
 * What a planner plans from: the session's tasks (one entry per claim for a conflict), the
 * related tasks as context, and the concerns raised against the previous version.
 */
import type { TemplatePlanInput } from '../../core/planner/template'
import type { Task } from '../../core/rules/types'
import type { RoomState, SessionState } from '../../core/state/types'

export interface PlanConcern {
  by: string
  text: string
}

export interface PlanRequest {
  session: string
  /** The version this plan will be. */
  version: number
  input: TemplatePlanInput
  /** Concerns and questions on the previous version (empty for version 1). */
  concerns: PlanConcern[]
}

const MAX_CONCERNS = 10

/** Builds the plan request for the next version of `session` from the folded state. */
export function planRequestOf(state: RoomState, session: SessionState): PlanRequest {
  const tasks: Task[] = []
  for (const id of session.tasks) {
    const t = state.tasks.get(id)
    if (!t) continue
    if (session.type === 'conflict') for (const c of t.claimants) tasks.push({ ...t.task, agentId: c })
    else tasks.push({ ...t.task, agentId: t.claimedBy })
  }
  const related = session.relatedTasks.flatMap((id) => {
    const t = state.tasks.get(id)
    return t ? [{ ...t.task, ...(t.status === 'claimed' ? { agentId: t.claimedBy } : { agentId: undefined }) }] : []
  })
  const latest = session.plans.length
  const name = (p: string) => state.members.get(p as never)?.displayName ?? p
  const concerns = session.messages
    .filter((m) => latest > 0 && m.planVersion === latest && (m.type === 'concern' || m.type === 'question'))
    .slice(-MAX_CONCERNS)
    .map((m) => ({ by: name(m.author), text: m.text }))
  return {
    session: session.id,
    version: latest + 1,
    input: {
      sessionType: session.type,
      ...(session.type === 'dependency' ? { relationship: session.rule } : {}),
      tasks,
      related,
    },
    concerns,
  }
}
