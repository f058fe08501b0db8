'use client'
/** A session's timeline: opening, plan versions with diffs, message runs, escalations, decisions, resolution. */
import type { ReactNode } from 'react'
import type { TimelineEntry } from '@/lib/core/state/timeline'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import { Badge } from '@/components/ui/Badge'
import { MESSAGE_TONE } from '@/components/session/Conversation'
import { PlanView } from '@/components/session/PlanView'
import { peerName } from '@/components/session/names'
import { REASON_LABEL } from '@/components/inbox/inbox-model'
import { PlanDiff } from './PlanDiff'
import { timelineItems } from './sessions-model'

const time = (t: number) => new Date(t).toLocaleTimeString()

function Entry({ at, type, children }: { at: number; type: string; children: ReactNode }) {
  return (
    <li className="grid grid-cols-[5.5rem_1fr] gap-3 border-l-2 border-zinc-200 py-1.5 pl-3 dark:border-zinc-800" data-testid="timeline-entry" data-type={type}>
      <time className="text-xs text-muted" dateTime={new Date(at).toISOString()}>{time(at)}</time>
      <div className="min-w-0 text-sm">{children}</div>
    </li>
  )
}

const DECISION_LABEL = { approved: 'approved the plan', edited: 'edited the plan', claimed: 'claimed the escalation', released: 'released the claim', resolved: 'resolved the escalation', returned: 'returned it to the agents' } as const

function Other({ e, state, session }: { e: TimelineEntry; state: RoomState; session: SessionState }) {
  const who = peerName(state, e.by)
  switch (e.type) {
    case 'opened': {
      const dep = [...state.dependencies.values()].find((d) => d.event === session.openedEvent || (d.dependency.relationship === session.rule && session.tasks.includes(d.dependency.task1) && session.tasks.includes(d.dependency.task2)))
      return <Entry at={e.at} type="opened"><b>Opened</b> by {who} · {session.type} · rule <b>{session.rule}</b>{dep && <p className="text-xs text-muted">Why: {dep.dependency.reason} (confidence {dep.dependency.confidence.toFixed(2)})</p>}</Entry>
    }
    case 'escalated':
      return <Entry at={e.at} type="escalated"><Badge tone="amber">escalated</Badge> {REASON_LABEL[e.escalation.reason]}{e.escalation.note && <> — “{e.escalation.note}”</>}</Entry>
    case 'decision':
      return <Entry at={e.at} type="decision"><b>{who}</b> {DECISION_LABEL[e.decision.kind]}{e.decision.text && e.decision.kind !== 'edited' && <> — “{e.decision.text}”</>}</Entry>
    case 'resolved':
      return <Entry at={e.at} type="resolved"><Badge tone="green">resolved</Badge> {session.resolution?.reason.replace('_', ' ')}{session.resolution && <> · strength {Math.round(session.resolution.strength * 100)}%</>}</Entry>
    case 'closed':
      return <Entry at={e.at} type="closed"><Badge tone="grey">closed</Badge> {session.closeReason}</Entry>
    default:
      return null
  }
}

/** The timeline; `compact` hides plan bodies and shows message runs on one line each. */
export function Timeline({ state, session, entries, compact }: { state: RoomState; session: SessionState; entries: TimelineEntry[]; compact: boolean }) {
  return (
    <ol className="space-y-1" aria-label="Timeline">
      {timelineItems(entries).map((item) => {
        if (item.kind === 'messages') {
          return (
            <Entry key={item.entries[0].event} at={item.entries[0].at} type="message">
              <p className="text-xs font-medium">{peerName(state, item.author)}</p>
              <ul className={compact ? 'flex flex-wrap gap-1' : 'space-y-0.5'}>
                {item.entries.map((m) => (
                  <li key={m.event} className="flex items-start gap-2">
                    <Badge tone={MESSAGE_TONE[m.message.type]}>{m.message.type}</Badge>
                    {!compact && <span className="min-w-0 flex-1 whitespace-pre-wrap break-words">{m.message.text}</span>}
                    {!compact && <time className="text-xs text-muted">{time(m.message.time)}</time>}
                  </li>
                ))}
              </ul>
            </Entry>
          )
        }
        const e = item.entry
        if (e.type !== 'plan') return <Other key={e.event} e={e} state={state} session={session} />
        const prev = session.plans[e.plan.version - 2]
        return (
          <Entry key={e.event} at={e.at} type="plan">
            <p><b>Plan v{e.plan.version}</b> by {peerName(state, e.plan.author)} ({e.plan.by === 'human' ? 'human edit' : e.plan.plan.planner.kind})</p>
            {prev && <PlanDiff before={prev.plan} after={e.plan.plan} />}
            {!compact && <details open={e.plan.version === session.plans.length} className="mt-1"><summary className="cursor-pointer text-xs text-muted">plan</summary><PlanView plan={e.plan.plan} version={e.plan.version} /></details>}
          </Entry>
        )
      })}
    </ol>
  )
}
