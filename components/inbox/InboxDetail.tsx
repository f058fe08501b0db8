'use client'
/** The selected escalation: why, the plan, the conversation, related tasks, and the actions (with their keys). */
import Link from 'next/link'
import { useEffect } from 'react'
import type { RoomState } from '@/lib/core/state/types'
import { useUiInbox } from '@/components/ui/UiProvider'
import { Badge } from '@/components/ui/Badge'
import { ActionPanel } from '@/components/session/ActionPanel'
import { Conversation } from '@/components/session/Conversation'
import { PlanView } from '@/components/session/PlanView'
import { peerName, taskTitle } from '@/components/session/names'
import { useSessionActions } from '@/components/session/use-session-actions'
import { REASON_LABEL } from './inbox-model'
import { commandFor } from './keys'

/** Detail pane for session `id`. */
export function InboxDetail({ state, id }: { state: RoomState; id: string }) {
  const session = state.sessions.get(id as never)
  const form = useUiInbox((s) => s.form)
  const setForm = useUiInbox((s) => s.setForm)
  const markRead = useUiInbox((s) => s.markRead)
  const help = useUiInbox((s) => s.help)
  const actions = useSessionActions(state, session)
  const escalation = session?.escalation ?? session?.escalations[session.escalations.length - 1]

  useEffect(() => {
    if (session?.status === 'escalated' && session.escalation) markRead(session.escalation.event)
  }, [session?.status, session?.escalation, markRead])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd = commandFor(e)
      if (cmd == null || !session || help) return
      const open = (f: 'edit' | 'resolve' | 'return', a: 'edit' | 'resolve' | 'return') => {
        if (actions.avail(a).ok) {
          e.preventDefault()
          setForm(f)
        }
      }
      if (cmd === 'approve') void actions.approve()
      else if (cmd === 'claim') void (session.escalation?.claimedBy === actions.actor.peerId && session.escalation?.claimedBy != null ? actions.release() : actions.claim())
      else if (cmd === 'edit') open('edit', 'edit')
      else if (cmd === 'resolve') open('resolve', 'resolve')
      else if (cmd === 'return') open('return', 'return')
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [session, actions, setForm, help])

  if (!session) return <p className="text-sm text-muted">This session is not in this tab's replica yet.</p>
  const latest = session.plans[session.plans.length - 1]
  return (
    <article className="space-y-4" aria-label="Escalation detail" data-testid="inbox-detail" data-session={session.id} data-status={session.status}>
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={session.status === 'escalated' ? 'amber' : 'green'}>{session.status}</Badge>
          {escalation && <Badge tone="blue">{REASON_LABEL[escalation.reason]}</Badge>}
          <span className="text-xs text-muted">{session.type} · {session.rule}</span>
          <Link href={`/sessions/${session.id}`} className="ml-auto text-xs text-sky-700 underline dark:text-sky-400">Open timeline</Link>
        </div>
        {escalation?.note && <p className="text-sm" data-testid="escalation-note">“{escalation.note}”</p>}
        {session.resolution?.decision && <p className="text-sm" data-testid="decision">Decision: {session.resolution.decision}</p>}
      </header>
      <ActionPanel hotkeys state={state} session={session} actions={actions} form={form} setForm={setForm} />
      <section aria-label="Plan">
        <h2 className="mb-1 text-sm font-semibold">Plan {latest ? `v${latest.version}` : ''}</h2>
        {latest ? <PlanView plan={latest.plan} version={latest.version} /> : <p className="text-sm text-muted">No plan was proposed.</p>}
      </section>
      <section aria-label="Conversation">
        <h2 className="mb-1 text-sm font-semibold">Conversation ({session.messages.length})</h2>
        <Conversation state={state} messages={session.messages} />
      </section>
      <section aria-label="Tasks">
        <h2 className="mb-1 text-sm font-semibold">Tasks</h2>
        <ul className="text-sm">
          {[...session.tasks, ...session.relatedTasks].map((t, i) => {
            const ts = state.tasks.get(t)
            return (
              <li key={t}>
                {i >= session.tasks.length && <span className="text-xs text-muted">related · </span>}
                <span className="font-medium">{taskTitle(state, t)}</span>
                {ts && <span className="text-xs text-muted"> · {ts.task.repository} · {peerName(state, ts.claimedBy)} · {ts.status}</span>}
              </li>
            )
          })}
        </ul>
      </section>
    </article>
  )
}
