/** Turning the plan editor's fields into a new plan version (a human's `plan.edited`). */
import { planSchema, type Plan } from '@/lib/core/planner/plan'

/** The editable fields: the summary, and one list item per line. */
export interface PlanDraft {
  summary: string
  coordinationPoints: string
  risks: string
  successCriteria: string
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean)

/** The draft a plan starts from. */
export const draftOf = (plan: Plan): PlanDraft => ({
  summary: plan.summary,
  coordinationPoints: plan.coordinationPoints.join('\n'),
  risks: plan.risks.join('\n'),
  successCriteria: plan.successCriteria.join('\n'),
})

/** The edited plan (sequence and artifacts kept, written by a human), or the first problem. */
export function planFromDraft(base: Plan, d: PlanDraft): { ok: true; plan: Plan } | { ok: false; error: string } {
  const candidate: Plan = {
    ...base,
    summary: d.summary.trim(),
    coordinationPoints: lines(d.coordinationPoints),
    risks: lines(d.risks),
    successCriteria: lines(d.successCriteria),
    planner: { kind: 'human' },
  }
  const r = planSchema.safeParse(candidate)
  if (!r.success) {
    const issue = r.error.issues[0]
    return { ok: false, error: `${issue.path.join('.') || 'plan'}: ${issue.message}` }
  }
  if (JSON.stringify({ ...r.data, planner: base.planner }) === JSON.stringify(base)) return { ok: false, error: 'Nothing changed.' }
  return { ok: true, plan: r.data }
}
