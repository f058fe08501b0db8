/** The word-level changes between two plan versions: removed words struck, added words marked. */
import type { Plan } from '@/lib/core/planner/plan'
import type { RoomState } from '@/lib/core/state/types'
import { taskTitle } from '@/components/session/names'
import { changeCount, planDiff, type Part } from './plan-diff-model'

function Parts({ parts }: { parts: Part[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.op === 'add' ? <ins key={i} className="rounded-sm bg-emerald-100 text-emerald-900 no-underline dark:bg-emerald-900/50 dark:text-emerald-100" data-testid="diff-add">{p.text}</ins>
        : p.op === 'del' ? <del key={i} className="rounded-sm bg-rose-100 text-rose-900 dark:bg-rose-900/50 dark:text-rose-100" data-testid="diff-del">{p.text}</del>
        : <span key={i}>{p.text}</span>,
      )}
    </>
  )
}

const SIGN = { added: 'added', removed: 'removed', changed: 'changed' } as const

/** The diff from `before` (version `from`) to `after`; `compact` says it in one line. */
export function PlanDiff({ before, after, state, compact = false, label }: { before: Plan; after: Plan; state?: RoomState; compact?: boolean; label?: string }) {
  const sections = planDiff(before, after, (id) => taskTitle(state, id))
  if (sections.length === 0) return <p className="text-xs text-muted" data-testid="plan-diff">No changes.</p>
  if (compact) {
    const c = changeCount(sections)
    return <p className="text-xs text-muted" data-testid="plan-diff">Changed {sections.map((s) => s.label.toLowerCase()).join(', ')} (+{c.added} / −{c.removed} words)</p>
  }
  return (
    <div className="space-y-1 text-sm" data-testid="plan-diff" aria-label={label ?? 'Changes from the previous version'} role="group">
      {sections.map((s) => (
        <div key={s.field}>
          <p className="text-xs font-medium uppercase text-muted">{s.label}</p>
          <ul className="space-y-0.5">
            {s.lines.map((l, i) => (
              <li key={i} className="break-words"><span className="sr-only">{SIGN[l.kind]}: </span><Parts parts={l.parts} /></li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}
