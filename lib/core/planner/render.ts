/** Plans as readable text (agents' chat, the CLI, NDJSON exports). */
import type { Plan } from './plan'

const bullets = (items: readonly string[]) => (items.length ? items.map((s) => `  - ${s}`).join('\n') : '  (none)')

/** Renders a plan as plain text with one section per field. */
export function renderPlan(plan: Plan): string {
  const planner =
    plan.planner.kind === 'llm'
      ? `llm${plan.planner.model ? ` (${plan.planner.model})` : ''}`
      : plan.planner.kind + (plan.planner.fallbackReason ? ` (fallback: ${plan.planner.fallbackReason})` : '')
  const sequence = [...plan.sequence]
    .sort((p, q) => p.order - q.order)
    .map((s) => `  ${s.order}. ${s.taskId} — ${s.reason}`)
    .join('\n')
  const artifacts = plan.artifacts.length
    ? plan.artifacts
        .map((a) => `  - ${a.name} (${a.producer} → ${a.consumers.join(', ') || 'everyone'}): ${a.description}`)
        .join('\n')
    : '  (none)'
  return [
    `Summary: ${plan.summary}`,
    `Sequence (equal numbers may run in parallel):\n${sequence}`,
    `Artifacts to share:\n${artifacts}`,
    `Coordination points:\n${bullets(plan.coordinationPoints)}`,
    `Risks:\n${bullets(plan.risks)}`,
    `Success criteria:\n${bullets(plan.successCriteria)}`,
    `Planner: ${planner}`,
  ].join('\n\n')
}
