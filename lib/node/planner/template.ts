/**
 * The template planner as a Planner: the core's deterministic plan, plus, for a revision, one
 * coordination point per concern raised against the previous version, so a new version says
 * what it answers.
 */
import { templatePlan } from '../../core/planner/template'
import type { Plan } from '../../core/planner/plan'
import type { Planner } from './planner'
import type { PlanRequest } from './request'

const MAX_POINTS = 50
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)

/** The template plan for a request; `fallbackReason` is set when it stands in for the LLM. */
export function templateFor(req: PlanRequest, fallbackReason?: string): Plan {
  const base = templatePlan(req.input)
  const answered = req.concerns.map((c) => clip(`Version ${req.version} answers ${c.by}: "${c.text}" — raise it again at the next coordination point if it still stands.`, 2000))
  return {
    ...base,
    summary: req.version > 1 ? clip(`${base.summary} (version ${req.version}, after ${req.concerns.length} concern(s))`, 2000) : base.summary,
    coordinationPoints: [...base.coordinationPoints, ...answered].slice(0, MAX_POINTS),
    planner: { kind: 'template', ...(fallbackReason ? { fallbackReason: clip(fallbackReason, 500) } : {}) },
  }
}

/** The default planner: deterministic, offline, always available. */
export const templatePlanner = (): Planner => ({
  kind: 'template',
  plan: async (req) => templateFor(req),
})
