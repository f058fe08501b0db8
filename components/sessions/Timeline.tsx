'use client'
/**
 * A session's timeline: opening, plan versions with their word-level changes, messages (author
 * named where it changes), escalations, decisions, resolution. Each row has one time, relative,
 * with the date on hover. Repeated rounds are collapsed into one line that expands.
 */
import { useState, type ReactNode } from 'react'
import type { TimelineEntry } from '@/lib/core/state/timeline'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import { Badge } from '@/components/ui/Badge'
import { formatDate } from '@/components/ui/format'
import { ago, useNow } from '@/components/ui/use-now'
import { MESSAGE_TONE } from '@/components/session/Conversation'
import { PlanView } from '@/components/session/PlanView'
import { peerName, readableRules, ruleName } from '@/components/session/names'
import { REASON_LABEL } from '@/components/inbox/inbox-model'
import { PlanDiff } from './PlanDiff'
import { timelineRows } from './timeline-model'

function Row({ at, now, type, children }: { at: number; now: number; type: string; children: ReactNode }) {
  return (
    <li className="grid grid-cols-[4.5rem_1fr] gap-3 border-l-2 border-zinc-200 py-1 pl-3 dark:border-zinc-800" data-testid="timeline-entry" data-type={type}>
      <time className="pt-0.5 text-xs text-muted" dateTime={new Date(at).toISOString()} title={formatDate(at)}>{ago(at, now)}</time>
      <div className="min-w-0 text-sm">{children}</div>
    </li>
  )
}

const DECISION_LABEL = { approved: 'approved the plan', edited: 'edited the plan', claimed: 'claimed the escalation', released: 'released the claim', resolved: 'resolved the escalation', returned: 'returned it to the agents' } as const

function Entry({ e, showAuthor, state, session, compact, now }: { e: TimelineEntry; showAuthor: boolean; state: RoomState; session: SessionState; compact: boolean; now: number }) {
  const who = peerName(state, e.by)
  switch (e.type) {
    case 'opened': {
      const dep = [...state.dependencies.values()].find((d) => d.event === session.openedEvent || (d.dependency.relationship === session.rule && session.tasks.includes(d.dependency.task1) && session.tasks.includes(d.dependency.task2)))
      return <Row at={e.at} now={now} type="opened"><b>Opened</b> by {who} · {session.type} · <span title={session.rule}>{ruleName(session.rule)}</span>{dep && !compact && <p className="text-xs text-muted" title={dep.dependency.reason}>Why: {readableRules(dep.dependency.reason, state)} (confidence {dep.dependency.confidence.toFixed(2)})</p>}</Row>
    }
    case 'message':
      return (
        <Row at={e.at} now={now} type="message">
          {showAuthor && <p className="text-xs font-medium">{peerName(state, e.message.author)}</p>}
          <p className="flex items-start gap-2" data-testid="message" data-type={e.message.type}>
            <Badge tone={MESSAGE_TONE[e.message.type]}>{e.message.type}</Badge>
            <span className={`min-w-0 flex-1 break-words ${compact ? 'truncate' : 'whitespace-pre-wrap'}`} title={compact ? e.message.text : undefined}>{e.message.text}</span>
          </p>
        </Row>
      )
    case 'plan': {
      const prev = session.plans[e.plan.version - 2]
      return (
        <Row at={e.at} now={now} type="plan">
          <p><b>Plan v{e.plan.version}</b> by {peerName(state, e.plan.author)} ({e.plan.by === 'human' ? 'human edit' : e.plan.plan.planner.kind})</p>
          {prev && <PlanDiff before={prev.plan} after={e.plan.plan} state={state} compact={compact} />}
          {!compact && (
            <details open={e.plan.version === session.plans.length && !prev} className="mt-1">
              <summary className="cursor-pointer text-xs text-muted">{prev ? 'whole plan' : 'plan'}</summary>
              <PlanView plan={e.plan.plan} version={e.plan.version} state={state} />
            </details>
          )}
        </Row>
      )
    }
    case 'escalated':
      return <Row at={e.at} now={now} type="escalated"><Badge tone="amber">escalated</Badge> {REASON_LABEL[e.escalation.reason]}{e.escalation.note && <> — “{readableRules(e.escalation.note, state)}”</>}</Row>
    case 'decision':
      return <Row at={e.at} now={now} type="decision"><b>{who}</b> {DECISION_LABEL[e.decision.kind]}{e.decision.text && e.decision.kind !== 'edited' && <> — “{e.decision.text}”</>}</Row>
    case 'resolved':
      return <Row at={e.at} now={now} type="resolved"><Badge tone="green">resolved</Badge> {session.resolution?.reason.replace('_', ' ')}{session.resolution && <> · strength {Math.round(session.resolution.strength * 100)}%</>}</Row>
    case 'closed':
      return <Row at={e.at} now={now} type="closed"><Badge tone="grey">closed</Badge> {session.closeReason}</Row>
  }
}

/** The timeline; `compact` keeps one line per message and summarises plan changes. */
export function Timeline({ state, session, entries, compact }: { state: RoomState; session: SessionState; entries: TimelineEntry[]; compact: boolean }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const now = useNow(15_000)
  return (
    <ol className="space-y-0.5" aria-label="Timeline">
      {timelineRows(entries, expanded).map((r) =>
        r.kind === 'collapsed' ? (
          <li key={r.id} className="border-l-2 border-dashed border-zinc-300 py-1 pl-3 dark:border-zinc-700" data-testid="timeline-collapsed">
            <button type="button" className="btn" onClick={() => setExpanded(new Set([...expanded, r.id]))} aria-expanded={false}>
              {r.rounds} more rounds: {r.pattern}
            </button>
          </li>
        ) : (
          <Entry key={r.entry.event} e={r.entry} showAuthor={r.showAuthor} state={state} session={session} compact={compact} now={now} />
        ),
      )}
    </ol>
  )
}
