'use client'
/** Edits the latest plan into a new version; keeps the draft if the room refuses it. */
import { useState } from 'react'
import type { Plan } from '@/lib/core/planner/plan'
import { draftOf, planFromDraft, type PlanDraft } from './plan-edit'

const FIELDS: { key: keyof PlanDraft; label: string; rows: number }[] = [
  { key: 'summary', label: 'Summary', rows: 3 },
  { key: 'coordinationPoints', label: 'Coordination points (one per line)', rows: 3 },
  { key: 'risks', label: 'Risks (one per line)', rows: 3 },
  { key: 'successCriteria', label: 'Success criteria (one per line)', rows: 3 },
]

/** The form; `onSubmit` resolves true when the new version was stored. */
export function PlanEditor({ plan, onSubmit, onCancel, pending }: { plan: Plan; onSubmit(plan: Plan): Promise<boolean>; onCancel(): void; pending: boolean }) {
  const [draft, setDraft] = useState(() => draftOf(plan))
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      aria-label="Edit plan"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault()
        const r = planFromDraft(plan, draft)
        if (!r.ok) return setError(r.error)
        setError(null)
        void onSubmit(r.plan)
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      {FIELDS.map((f, i) => (
        <label key={f.key} className="block text-xs text-muted">
          {f.label}
          <textarea
            autoFocus={i === 0}
            rows={f.rows}
            className="mt-0.5 block w-full rounded border border-zinc-300 bg-transparent p-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:text-zinc-100"
            value={draft[f.key]}
            onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
          />
        </label>
      ))}
      {error && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error}</p>}
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className="btn-primary">Save as new version</button>
        <button type="button" onClick={onCancel} className="btn">Cancel</button>
      </div>
    </form>
  )
}
