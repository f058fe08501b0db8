'use client'
/**
 * The one review dialog: approve the plan, edit it into a new version, resolve with a decision,
 * or return to the agents with guidance. Ctrl/⌘+Enter submits from anywhere in it; what is typed
 * stays if the reviewer switches between modes. The decision is queued with an undo window.
 */
import { useRef, useState } from 'react'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import type { ActionForm } from '@/lib/stores/ui-inbox'
import { Dialog } from '@/components/ui/Dialog'
import { draftOf, planFromDraft, type PlanDraft } from '@/components/session/plan-edit'
import { taskTitle } from '@/components/session/names'
import type { Availability } from '@/components/session/permissions'
import type { Choice } from './use-decide'

type Mode = Exclude<ActionForm, null>

const MODES: Array<{ mode: Mode; label: string; key: string }> = [
  { mode: 'approve', label: 'Approve plan', key: 'a' },
  { mode: 'edit', label: 'Edit plan', key: 'e' },
  { mode: 'resolve', label: 'Resolve', key: 'r' },
  { mode: 'return', label: 'Return to agents', key: 'g' },
]

const PLAN_FIELDS: { key: keyof PlanDraft; label: string }[] = [
  { key: 'summary', label: 'Summary' },
  { key: 'coordinationPoints', label: 'Coordination points (one per line)' },
  { key: 'risks', label: 'Risks (one per line)' },
  { key: 'successCriteria', label: 'Success criteria (one per line)' },
]

const area = 'mt-0.5 block w-full rounded border border-zinc-300 bg-transparent p-1.5 text-sm dark:border-zinc-700'

/** Props: the session, the first mode, availability per mode, and `onSubmit` (queues the choice). */
export function ReviewDialog({ state, session, mode: initial, avail, onSubmit, onClose }: {
  state: RoomState
  session: SessionState
  mode: Mode
  avail(mode: Mode): Availability
  onSubmit(choice: Choice): void
  onClose(): void
}) {
  const [mode, setMode] = useState<Mode>(initial)
  const latest = session.plans[session.plans.length - 1]
  const [draft, setDraft] = useState<PlanDraft | null>(() => (latest ? draftOf(latest.plan) : null))
  const [decision, setDecision] = useState('')
  const [note, setNote] = useState('')
  const [guidance, setGuidance] = useState('')
  const [error, setError] = useState<string | null>(null)
  const form = useRef<HTMLFormElement>(null)
  const a = avail(mode)
  const title = session.tasks.map((t) => taskTitle(state, t)).join(' ↔ ')

  const submit = () => {
    if (!a.ok) return setError(a.reason)
    if (mode === 'approve') return onSubmit({ action: 'approve' })
    if (mode === 'edit') {
      if (!latest || !draft) return setError('There is no plan to edit.')
      const r = planFromDraft(latest.plan, draft)
      return r.ok ? onSubmit({ action: 'edit', plan: r.plan }) : setError(r.error)
    }
    if (mode === 'resolve') return decision.trim() ? onSubmit({ action: 'resolve', decision: decision.trim(), ...(note.trim() ? { note: note.trim() } : {}) }) : setError('Write the decision.')
    return guidance.trim() ? onSubmit({ action: 'return', guidance: guidance.trim() }) : setError('Write the guidance for the agents.')
  }

  return (
    <Dialog label={`Review: ${title}`} onClose={onClose} testId="review-dialog">
      <form
        ref={form}
        aria-label="Review"
        className="space-y-3"
        onSubmit={(e) => (e.preventDefault(), submit())}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            submit()
          }
        }}
      >
        <h2 className="font-semibold">Review: {title}</h2>
        <div role="radiogroup" aria-label="Kind of decision" className="flex flex-wrap gap-1">
          {MODES.map((m) => {
            const ok = avail(m.mode).ok
            return (
              <label key={m.mode} className={`flex cursor-pointer items-center gap-1 rounded border px-2 py-1 text-sm ${mode === m.mode ? 'border-sky-600 bg-sky-50 dark:bg-sky-950' : 'border-zinc-300 dark:border-zinc-700'} ${ok ? '' : 'opacity-60'}`} title={ok ? undefined : (avail(m.mode) as { reason: string }).reason}>
                <input type="radio" name="mode" value={m.mode} checked={mode === m.mode} onChange={() => (setMode(m.mode), setError(null))} />
                {m.label} <kbd className="text-xs text-muted">{m.key}</kbd>
              </label>
            )
          })}
        </div>
        {!a.ok && <p className="text-sm text-muted" data-testid="review-unavailable">{a.reason}</p>}
        {mode === 'approve' && latest && (
          <p className="text-sm">Approve plan v{latest.version}: “{latest.plan.summary}”</p>
        )}
        {mode === 'edit' && draft && PLAN_FIELDS.map((f, i) => (
          <label key={f.key} className="block text-xs text-muted">{f.label}
            <textarea autoFocus={i === 0} data-autofocus={i === 0 ? '' : undefined} rows={f.key === 'summary' ? 3 : 2} className={`${area} text-zinc-900 dark:text-zinc-100`} value={draft[f.key]} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })} />
          </label>
        ))}
        {mode === 'resolve' && (
          <>
            <label className="block text-xs text-muted">Decision
              <textarea autoFocus data-autofocus rows={2} required className={`${area} text-zinc-900 dark:text-zinc-100`} value={decision} onChange={(e) => setDecision(e.target.value)} />
            </label>
            <label className="block text-xs text-muted">Note (optional)
              <textarea rows={2} className={`${area} text-zinc-900 dark:text-zinc-100`} value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
          </>
        )}
        {mode === 'return' && (
          <label className="block text-xs text-muted">Guidance for the agents
            <textarea autoFocus data-autofocus rows={3} required className={`${area} text-zinc-900 dark:text-zinc-100`} value={guidance} onChange={(e) => setGuidance(e.target.value)} />
          </label>
        )}
        {error && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error}</p>}
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className="btn-primary" disabled={!a.ok} autoFocus={mode === 'approve'} data-autofocus={mode === 'approve' ? '' : undefined} data-testid="review-submit">
            {MODES.find((m) => m.mode === mode)!.label}
          </button>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <span className="text-xs text-muted"><kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> submits · you can undo for a few seconds</span>
        </div>
      </form>
    </Dialog>
  )
}
