'use client'
/**
 * The selected request: its card, the actions with their keys (a approve, e edit, r resolve,
 * g return — all through the one review dialog — c claim, d dismiss), and the dialog itself.
 */
import { lazy, Suspense, useEffect } from 'react'
import type { RoomState } from '@/lib/core/state/types'
import { useUiDecisions, useUiInbox } from '@/components/ui/UiProvider'
import type { Availability } from '@/components/session/permissions'
import { useSessionActions } from '@/components/session/use-session-actions'
import { ApprovalProgress } from '@/components/session/ActionPanel'
import { peerName } from '@/components/session/names'
import type { ActionForm } from '@/lib/stores/ui-inbox'
import type { InboxRow } from './inbox-model'
import { commandFor } from './keys'
import { RequestCard } from './RequestCard'
import { useDecide, type Choice } from './use-decide'

// The dialog validates edited plans with the event schemas: loaded when a reviewer opens it,
// so opening the inbox does not evaluate the schema library with the page.
const ReviewDialog = lazy(() => import('./ReviewDialog').then((m) => ({ default: m.ReviewDialog })))

type Mode = Exclude<ActionForm, null>

function ActionButton({ a, label, hotkey, onClick, testId }: { a: Availability; label: string; hotkey: string; onClick(): void; testId: string }) {
  return (
    <button type="button" className="btn" disabled={!a.ok} title={a.ok ? a.note : a.reason} aria-keyshortcuts={hotkey} onClick={onClick} data-testid={testId}>
      {label} <kbd className="text-xs text-muted">{hotkey}</kbd>
    </button>
  )
}

/** Detail pane for `row`; `onDecided` moves on to the next item once a decision is queued. */
export function InboxDetail({ state, row, now, onDecided }: { state: RoomState; row: InboxRow; now: number; onDecided(): void }) {
  const session = state.sessions.get(row.session as never)
  const form = useUiInbox((s) => s.form)
  const setForm = useUiInbox((s) => s.setForm)
  const markRead = useUiInbox((s) => s.markRead)
  const dismiss = useUiInbox((s) => s.dismiss)
  const help = useUiInbox((s) => s.help)
  const pending = useUiDecisions((s) => s.pending.some((p) => p.session === row.session))
  const actions = useSessionActions(state, session)
  const decide = useDecide()
  const blocked: Availability = { ok: false, reason: 'A decision on this item is waiting out its undo window.' }
  const avail = (m: Mode | 'claim' | 'release'): Availability => (pending ? blocked : actions.avail(m))
  const dismissable = !row.decided && row.kind !== 'escalation'

  useEffect(() => {
    if (!row.decided) markRead(row.id)
  }, [row.id, row.decided, markRead])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd = commandFor(e)
      if (cmd == null || !session || help || form != null) return
      const open = (m: Mode) => {
        if (!avail(m).ok) return
        e.preventDefault()
        setForm(m)
      }
      if (cmd === 'approve') open('approve')
      else if (cmd === 'edit') open('edit')
      else if (cmd === 'resolve') open('resolve')
      else if (cmd === 'return') open('return')
      else if (cmd === 'claim') void (session.escalation?.claimedBy === actions.actor.peerId && session.escalation?.claimedBy != null ? actions.release() : actions.claim())
      else if (cmd === 'dismiss' && dismissable) (dismiss(row.id), onDecided())
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  if (!session) return <p className="text-sm text-muted">This session is not in this tab's replica yet.</p>
  const claimed = session.escalation?.claimedBy ?? null
  const mine = claimed != null && claimed === actions.actor.peerId
  const reasons = (['approve', 'edit', 'resolve', 'return'] as const).map((m) => actions.avail(m)).filter((a): a is { ok: false; reason: string } => !a.ok)
  const submit = (c: Choice) => {
    setForm(null)
    if (decide(row.session, c) != null) onDecided()
  }
  return (
    <div className="space-y-4" data-testid="inbox-detail" data-session={session.id} data-status={session.status}>
      <RequestCard state={state} session={session} row={row} now={now} />
      <section aria-label="Actions" className="space-y-2">
        {pending && <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="detail-pending">Your decision on this is about to be sent (undo below).</p>}
        <div className="flex flex-wrap gap-2">
          <ActionButton a={avail('approve')} label="Approve plan" hotkey="a" onClick={() => setForm('approve')} testId="action-approve" />
          <ActionButton a={avail('edit')} label="Edit plan" hotkey="e" onClick={() => setForm('edit')} testId="action-edit" />
          <ActionButton a={avail('resolve')} label="Resolve" hotkey="r" onClick={() => setForm('resolve')} testId="action-resolve" />
          <ActionButton a={avail('return')} label="Return to agents" hotkey="g" onClick={() => setForm('return')} testId="action-return" />
          {mine
            ? <ActionButton a={avail('release')} label="Release claim" hotkey="c" onClick={() => void actions.release()} testId="action-release" />
            : <ActionButton a={avail('claim')} label="Claim" hotkey="c" onClick={() => void actions.claim()} testId="action-claim" />}
          {dismissable && <button type="button" className="btn" onClick={() => (dismiss(row.id), onDecided())} aria-keyshortcuts="d" data-testid="action-dismiss">Dismiss <kbd className="text-xs text-muted">d</kbd></button>}
        </div>
        {session.plans.length > 0 && <ApprovalProgress state={state} session={session} />}
        {claimed != null && (
          <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="claimed-note">
            {mine ? 'You claimed this: other reviewers see it as yours.' : `Claimed by ${peerName(state, claimed)}: they are working on it.`}
          </p>
        )}
        {reasons.length === 4 && !row.decided && <p className="text-sm text-muted" data-testid="actions-disabled-reason">{reasons[0].reason}</p>}
        {actions.error && <p role="alert" className="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{actions.error}</p>}
      </section>
      {form != null && (
        <Suspense fallback={null}>
          <ReviewDialog key={`${session.id}-${session.plans.length}`} state={state} session={session} mode={form} avail={(m) => avail(m)} onSubmit={submit} onClose={() => setForm(null)} />
        </Suspense>
      )}
    </div>
  )
}
