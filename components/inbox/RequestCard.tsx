'use client'
/**
 * One request for a human as a self-contained card (in the manner of an agent-inbox interrupt):
 * what is asked, why (the reason with its figures, the latest concern, how long it has waited),
 * the plan at a glance, and the actions this reviewer may take on it.
 */
import Link from 'next/link'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import { approvalsNeeded } from '@/lib/core/sessions/quorum'
import { requestOf, type HumanRequest } from '@/lib/core/state/selectors'
import { Badge } from '@/components/ui/Badge'
import { formatDate, formatDuration } from '@/components/ui/format'
import { ago } from '@/components/ui/use-now'
import { Conversation } from '@/components/session/Conversation'
import { PlanView } from '@/components/session/PlanView'
import { peerName, readableRules, ruleName, sessionTitle, taskTitle } from '@/components/session/names'
import { kindLabel, settlingDecision, type InboxRow } from './inbox-model'

/** The question the card puts to the reviewer. */
export function askOf(q: HumanRequest): string {
  if (q.kind === 'approval') return `Approve plan v${q.planVersion} before the agents start?`
  if (q.kind === 'quorum') return `Plan v${q.planVersion} needs ${q.needed - q.approvals} more approval${q.needed - q.approvals === 1 ? '' : 's'}`
  return q.planVersion > 0 ? `The agents could not settle on plan v${q.planVersion}: decide, edit or send it back` : 'The agents could not settle: decide or send it back'
}

/** The reason in words, with the figures behind it. */
export function whyOf(s: RoomState, q: HumanRequest): string {
  const by = peerName(s, q.by)
  switch (q.reason) {
    case 'message_limit':
      return `${q.messages} messages since it became active, limit ${q.threshold}`
    case 'duration':
      return `active for ${formatDuration(q.at - q.activeSince)}, limit ${formatDuration(q.maxDurationMs)}`
    case 'requested':
      return q.note ? `${by} asked: “${readableRules(q.note, s)}”` : `${by} asked for a human`
    default:
      return `${q.approvals} of ${q.needed} approvals so far (${by} approved first)`
  }
}

const DID = { approved: 'approved the plan', edited: 'edited the plan', resolved: 'resolved it', returned: 'returned it to the agents', claimed: 'claimed it', released: 'released it' } as const

/** The card for `row`'s session. */
export function RequestCard({ state, session, row, now }: { state: RoomState; session: SessionState; row: InboxRow; now: number }) {
  const q = requestOf(state, session, approvalsNeeded(state.config, state.members.values()))
  const latest = session.plans[session.plans.length - 1]
  const concern = [...session.messages].reverse().find((m) => m.type === 'concern')
  const decided = row.decided ? (row.decision ?? settlingDecision(session)) : undefined
  const steps = latest ? [...latest.plan.sequence].sort((a, b) => a.order - b.order) : []
  return (
    <article className="space-y-3" aria-labelledby="card-ask" data-testid="request-card" data-kind={row.kind}>
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-2 text-xs">
          <Badge tone={row.decided ? 'grey' : row.kind === 'escalation' ? 'amber' : 'blue'}>{kindLabel(row)}</Badge>
          <span className="text-muted" title={session.rule}>{session.type} · {ruleName(session.rule)}</span>
          <Link href={`/sessions/${session.id}`} className="ml-auto text-sky-700 underline dark:text-sky-400">Open timeline</Link>
        </div>
        <p className="text-sm text-muted">{sessionTitle(state, session.tasks)}</p>
        <h2 id="card-ask" className="text-lg font-semibold" data-testid="card-ask">
          {decided ? `Decided: ${peerName(state, decided.by)} ${DID[decided.kind]}` : q ? askOf(q) : `This session is ${session.status}`}
        </h2>
      </header>
      {decided && (
        <p className="text-sm" data-testid="decided-by">
          <b>{peerName(state, decided.by)}</b> {DID[decided.kind]} <time dateTime={new Date(decided.time).toISOString()} title={formatDate(decided.time)}>{ago(decided.time, now)}</time>
          {decided.text && decided.kind !== 'edited' && <> — “{decided.text}”</>}
        </p>
      )}
      {q && !decided && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm" data-testid="card-why">
          <dt className="text-muted">Why</dt>
          <dd data-testid="card-reason">{whyOf(state, q)}</dd>
          {concern && (
            <>
              <dt className="text-muted">Latest concern</dt>
              <dd data-testid="card-concern">“{concern.text}” — {peerName(state, concern.author)}, {ago(concern.time, now)}</dd>
            </>
          )}
          <dt className="text-muted">Waiting</dt>
          <dd><span title={formatDate(q.at)}>{formatDuration(now - q.at)}</span> · session open {formatDuration(now - session.openedAt)}</dd>
          {q.claimedBy && (
            <>
              <dt className="text-muted">Claimed</dt>
              <dd data-testid="claimed-by">{peerName(state, q.claimedBy)}</dd>
            </>
          )}
        </dl>
      )}
      <section aria-labelledby="card-plan" className="space-y-1 rounded border border-zinc-200 p-2 dark:border-zinc-800">
        <h3 id="card-plan" className="text-sm font-semibold">{latest ? `Plan v${latest.version} at a glance` : 'No plan yet'}</h3>
        {latest && (
          <>
            <ol className="flex flex-wrap items-center gap-1 text-sm" aria-label="Sequence">
              {steps.map((st, i) => (
                <li key={st.taskId} className="flex items-center gap-1">
                  {i > 0 && <span aria-hidden className="text-muted">→</span>}
                  <span className="rounded bg-zinc-100 px-1.5 dark:bg-zinc-800" title={st.taskId}>{st.order}. {taskTitle(state, st.taskId)}</span>
                </li>
              ))}
            </ol>
            <p className="line-clamp-3 text-sm">{readableRules(latest.plan.summary, state)}</p>
            <details>
              <summary className="cursor-pointer text-xs text-muted">Full plan</summary>
              <PlanView plan={latest.plan} version={latest.version} state={state} />
            </details>
          </>
        )}
      </section>
      <details>
        <summary className="cursor-pointer text-sm font-semibold">Conversation ({session.messages.length})</summary>
        <div className="max-h-80 overflow-auto" tabIndex={0} role="region" aria-label="Conversation" data-focus-inset>
          <Conversation state={state} messages={session.messages} />
        </div>
      </details>
    </article>
  )
}
