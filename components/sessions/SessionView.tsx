'use client'
/**
 * `/sessions/[id]`: the live timeline beside a sticky panel — consensus (never contradicting
 * the status), a comparison of any two plan versions, participants with presence, actions.
 */
import Link from 'next/link'
import { useState } from 'react'
import { selectSession } from '@/lib/core/state/selectors'
import { selectTimeline } from '@/lib/core/state/timeline'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRoom } from '@/components/mesh/use-room'
import { Badge } from '@/components/ui/Badge'
import { ActionPanel } from '@/components/session/ActionPanel'
import { peerName, repositoriesOf, ruleName, sessionTitle } from '@/components/session/names'
import { useDerived } from '@/components/session/use-derived'
import { useSessionActions } from '@/components/session/use-session-actions'
import type { ActionForm } from '@/lib/stores/ui-inbox'
import { PlanDiff } from './PlanDiff'
import { STATUS_TONE } from './status'
import { Timeline } from './Timeline'
import { consensusSummary } from './timeline-model'

const PRESENCE_TONE = { alive: 'green', suspect: 'amber', dead: 'red', left: 'grey', unknown: 'grey' } as const

/** One session's page: timeline, consensus, versions, participants, actions. */
export function SessionView({ id }: { id: string }) {
  const state = useRoom((s) => s)
  const session = useDerived((s) => selectSession(s, id as never), [id])
  const entries = useDerived((s) => selectTimeline(s, id as never), [id])
  const peers = useMesh((s) => s.peers)
  const self = useMesh((s) => s.self?.peerId)
  const [compact, setCompact] = useState(false)
  const [form, setForm] = useState<ActionForm>(null)
  const [compare, setCompare] = useState<[number, number] | null>(null)
  const actions = useSessionActions(state, session)
  if (state == null) return <p className="text-sm text-muted">Loading the room …</p>
  if (!session || !entries) {
    return <p className="text-sm text-muted" data-testid="session-missing">This tab has not received session <code>{id}</code> (yet). It appears here as soon as it arrives. <Link className="underline" href="/sessions">All sessions</Link></p>
  }
  const presence = (p: string) => (p === self ? 'alive' : peers.find((r) => r.peerId === p)?.status ?? 'unknown')
  const c = consensusSummary(session, (p) => peerName(state, p))
  const n = session.plans.length
  const [from, to] = compare ?? [Math.max(1, n - 1), n]
  return (
    <article className="space-y-5" data-testid="session-view" data-session={session.id}>
      <header className="space-y-1">
        <p className="text-xs text-muted"><Link href="/sessions" className="hover:underline">Sessions</Link> / {session.type}</p>
        <h1 className="text-xl font-semibold">{sessionTitle(state, session.tasks)}</h1>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span data-testid="session-status" className="contents"><Badge tone={STATUS_TONE[session.status]}>{session.status}</Badge></span>
          <span className="text-muted"><span title={session.rule}>{ruleName(session.rule)}</span> · {repositoriesOf(state, session.tasks).join(' · ')}</span>
          <label className="ml-auto flex items-center gap-1 text-xs"><input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} data-testid="compact" /> compact</label>
        </div>
      </header>
      <div className="grid gap-6 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="timeline-title"><h2 id="timeline-title" className="sr-only">Timeline</h2><Timeline state={state} session={session} entries={entries} compact={compact} /></section>
        <aside className="space-y-4 self-start md:sticky md:top-4 md:max-h-[calc(100vh-2rem)] md:overflow-auto" aria-label="Session panel" tabIndex={0} data-focus-inset>
          <section aria-labelledby="consensus-title" className="space-y-1" data-testid="consensus" data-agreed={session.agreed.length} data-required={session.consensus.required} data-tone={c.tone}>
            <h2 id="consensus-title" className="text-sm font-semibold">Consensus</h2>
            <p className="text-sm" data-testid="consensus-headline">{c.headline}</p>
            {c.detail && <p className="text-sm text-muted">{c.detail}</p>}
          </section>
          {n >= 2 && (
            <section aria-labelledby="compare-title" className="space-y-1" data-testid="compare">
              <h2 id="compare-title" className="text-sm font-semibold">Compare versions</h2>
              <div className="flex items-center gap-2 text-sm">
                <label className="flex items-center gap-1">from
                  <select className="field" value={from} onChange={(e) => setCompare([Number(e.target.value), to])} data-testid="compare-from">
                    {session.plans.map((p) => <option key={p.version} value={p.version}>v{p.version}</option>)}
                  </select>
                </label>
                <label className="flex items-center gap-1">to
                  <select className="field" value={to} onChange={(e) => setCompare([from, Number(e.target.value)])} data-testid="compare-to">
                    {session.plans.map((p) => <option key={p.version} value={p.version}>v{p.version}</option>)}
                  </select>
                </label>
              </div>
              <PlanDiff before={session.plans[from - 1].plan} after={session.plans[to - 1].plan} state={state} label={`Changes from v${from} to v${to}`} />
            </section>
          )}
          <section aria-labelledby="participants-title">
            <h2 id="participants-title" className="text-sm font-semibold">Participants</h2>
            <ul className="text-sm">
              {session.participants.map((p) => (
                <li key={p} className="flex items-center gap-2" data-testid="participant" data-presence={presence(p)}>
                  <Badge tone={PRESENCE_TONE[presence(p)]}>{presence(p)}</Badge>{peerName(state, p)}
                  {session.agreed.includes(p) && <span className="text-xs text-emerald-800 dark:text-emerald-300">agrees</span>}
                  {session.consensus.concerns.includes(p) && session.status !== 'resolved' && <span className="text-xs text-rose-800 dark:text-rose-300">concern</span>}
                </li>
              ))}
            </ul>
          </section>
          <ActionPanel state={state} session={session} actions={actions} form={form} setForm={setForm} />
        </aside>
      </div>
    </article>
  )
}
