'use client'
/**
 * Approve / edit / resolve / return / claim for one session. Disabled buttons say why (guest,
 * role, state); a refused action shows the room's reason and keeps the form's text.
 */
import { lazy, Suspense } from 'react'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import { approvalsNeeded } from '@/lib/core/sessions/quorum'
import type { ActionForm } from '@/lib/stores/ui-inbox'
import type { Availability } from './permissions'
import { peerName } from './names'
import { TextForm } from './TextForm'
import type { SessionActions } from './use-session-actions'

// The editor validates plans with the event schemas: loaded when a reviewer opens it, so a page
// showing this panel (or only its approval progress) does not evaluate the schema library.
const PlanEditor = lazy(() => import('./PlanEditor').then((m) => ({ default: m.PlanEditor })))

function ActionButton({ a, label, hotkey, onClick, pending }: { a: Availability; label: string; hotkey?: string; onClick(): void; pending: boolean }) {
  return (
    <button type="button" className="btn" disabled={!a.ok || pending} title={a.ok ? a.note : a.reason} aria-keyshortcuts={hotkey} onClick={onClick} data-testid={`action-${label.toLowerCase().split(' ')[0]}`}>
      {label}
      {hotkey && <kbd className="ml-1 text-xs text-muted">{hotkey}</kbd>}
    </button>
  )
}

/** The quorum line: who approved the latest plan and how many are still missing. */
export function ApprovalProgress({ state, session }: { state: RoomState; session: SessionState }) {
  const needed = approvalsNeeded(state.config, state.members.values())
  const have = session.approvals.length
  return (
    <p className="text-sm" data-testid="approval-progress" data-approvals={have} data-needed={needed}>
      Approvals of v{session.plans.length}: {have} of {needed}
      {have > 0 && <> ({session.approvals.map((p) => peerName(state, p)).join(', ')})</>}
      {have < needed && session.status !== 'resolved' && <span className="text-muted"> · {needed - have} missing</span>}
    </p>
  )
}

/** The action bar plus whichever form is open. */
export function ActionPanel({ state, session, actions, form, setForm, hotkeys = false }: {
  /** Show the inbox's key next to each button (only where the keys work). */
  hotkeys?: boolean
  state: RoomState
  session: SessionState
  actions: SessionActions
  form: ActionForm
  setForm(form: ActionForm): void
}) {
  const { avail, pending, error } = actions
  const claimed = session.escalation?.claimedBy ?? null
  const mine = claimed != null && claimed === actions.actor.peerId
  const reasons = (['approve', 'edit', 'resolve', 'return', 'claim'] as const).map(avail).filter((a): a is { ok: false; reason: string } => !a.ok)
  const latest = session.plans[session.plans.length - 1]
  const close = () => setForm(null)
  return (
    <section aria-label="Actions" className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <ActionButton a={avail('approve')} label="Approve plan" hotkey={hotkeys ? 'a' : undefined} pending={pending} onClick={() => void actions.approve()} />
        <ActionButton a={avail('edit')} label="Edit plan" hotkey={hotkeys ? 'e' : undefined} pending={pending} onClick={() => setForm('edit')} />
        <ActionButton a={avail('resolve')} label="Resolve" hotkey={hotkeys ? 'r' : undefined} pending={pending} onClick={() => setForm('resolve')} />
        <ActionButton a={avail('return')} label="Return to agents" hotkey={hotkeys ? 'g' : undefined} pending={pending} onClick={() => setForm('return')} />
        {mine ? (
          <ActionButton a={avail('release')} label="Release claim" hotkey={hotkeys ? 'c' : undefined} pending={pending} onClick={() => void actions.release()} />
        ) : (
          <ActionButton a={avail('claim')} label="Claim" hotkey={hotkeys ? 'c' : undefined} pending={pending} onClick={() => void actions.claim()} />
        )}
      </div>
      {session.plans.length > 0 && <ApprovalProgress state={state} session={session} />}
      {claimed != null && (
        <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="claimed-by">
          {mine ? 'You claimed this: other reviewers see it as yours.' : `Claimed by ${peerName(state, claimed)}: they are working on it.`}
        </p>
      )}
      {reasons.length > 0 && reasons.length === 5 && <p className="text-sm text-muted" data-testid="actions-disabled-reason">{reasons[0].reason}</p>}
      {error && <p role="alert" className="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
      {form === 'edit' && latest && avail('edit').ok && (
        <Suspense fallback={null}>
          <PlanEditor key={latest.event} plan={latest.plan} pending={pending} onCancel={close} onSubmit={async (p) => (await actions.edit(p)) && (close(), true)} />
        </Suspense>
      )}
      {form === 'resolve' && avail('resolve').ok && (
        <TextForm label="Resolve escalation" submit="Resolve" pending={pending} onCancel={close}
          fields={[{ name: 'decision', label: 'Decision', required: true }, { name: 'note', label: 'Note (optional)', rows: 2 }]}
          onSubmit={async (v) => (await actions.resolve(v.decision, v.note || undefined)) && (close(), true)} />
      )}
      {form === 'return' && avail('return').ok && (
        <TextForm label="Return to agents" submit="Return with guidance" pending={pending} onCancel={close}
          fields={[{ name: 'guidance', label: 'Guidance for the agents', required: true, rows: 3 }]}
          onSubmit={async (v) => (await actions.giveBack(v.guidance)) && (close(), true)} />
      )}
    </section>
  )
}
