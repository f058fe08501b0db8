/** The changes between two plan versions (the planner's diffPlans), as a compact list. */
import { diffPlans, type PlanChange } from '@/lib/core/planner/diff'
import type { Plan } from '@/lib/core/planner/plan'

const SIGN = { added: '+', removed: '−', changed: '~' } as const
const TONE = { added: 'text-emerald-700 dark:text-emerald-400', removed: 'text-rose-700 dark:text-rose-400', changed: 'text-amber-700 dark:text-amber-400' } as const

/** One line of text describing a change. */
export function describeChange(c: PlanChange): string {
  switch (c.field) {
    case 'summary':
      return `summary: “${c.before}” → “${c.after}”`
    case 'planner':
      return `planner: ${c.before.kind} → ${c.after.kind}`
    case 'sequence':
      return `step ${c.key}${c.after ? `: ${c.after.order}. ${c.after.reason}` : ''}`
    case 'artifacts':
      return `artifact ${c.key}${c.after ? `: ${c.after.description}` : ''}`
    default:
      return `${c.field === 'coordinationPoints' ? 'coordination point' : c.field === 'risks' ? 'risk' : 'success criterion'}: ${c.key}`
  }
}

/** The diff from `before` to `after`. */
export function PlanDiff({ before, after }: { before: Plan; after: Plan }) {
  const changes = diffPlans(before, after)
  if (changes.length === 0) return <p className="text-xs text-muted" data-testid="plan-diff">No changes.</p>
  return (
    <ul className="space-y-0.5 font-mono text-xs" data-testid="plan-diff" aria-label="Changes from the previous version">
      {changes.map((c, i) => (
        <li key={i} className={TONE[c.kind]}>
          {SIGN[c.kind]} {describeChange(c)}
        </li>
      ))}
    </ul>
  )
}
