/** A plan version as structured, inert text (never HTML or markdown). */
import type { Plan } from '@/lib/core/planner/plan'
import type { RoomState } from '@/lib/core/state/types'
import { readableRules, taskTitle } from './names'

function List({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null
  return (
    <div>
      <h3 className="text-xs font-medium uppercase text-muted">{title}</h3>
      <ul className="ml-4 list-disc text-sm">
        {items.map((t, i) => (
          <li key={i}>{t}</li>
        ))}
      </ul>
    </div>
  )
}

/** Renders summary, sequence, artifacts, coordination points, risks, success criteria, planner. */
export function PlanView({ plan, version, state }: { plan: Plan; version: number; state?: RoomState }) {
  const sequence = [...plan.sequence].sort((a, b) => a.order - b.order)
  return (
    <div className="space-y-2" data-testid="plan" data-version={version}>
      <p className="text-sm">{readableRules(plan.summary, state)}</p>
      <div>
        <h3 className="text-xs font-medium uppercase text-muted">Sequence</h3>
        <ol className="text-sm">
          {sequence.map((s, i) => (
            <li key={i}>
              <span className="font-mono text-xs">{s.order}.</span> <span className="font-medium" title={s.taskId}>{taskTitle(state, s.taskId)}</span> — {readableRules(s.reason, state)}
            </li>
          ))}
        </ol>
      </div>
      <List title="Artifacts" items={plan.artifacts.map((a) => readableRules(`${a.name} (${a.producer} → ${a.consumers.join(', ') || 'everyone'}): ${a.description}`, state))} />
      <List title="Coordination points" items={plan.coordinationPoints.map((x) => readableRules(x, state))} />
      <List title="Risks" items={plan.risks.map((x) => readableRules(x, state))} />
      <List title="Success criteria" items={plan.successCriteria.map((x) => readableRules(x, state))} />
      <p className="text-xs text-muted">
        v{version} · by {plan.planner.kind}
        {plan.planner.model ? ` (${plan.planner.model})` : ''}
        {plan.planner.fallbackReason ? ` · fallback: ${plan.planner.fallbackReason}` : ''}
      </p>
    </div>
  )
}
