'use client'
/** `/sessions/[id]`: the live timeline, consensus so far, participants with presence, and plan approval. */
import Link from 'next/link'
import { useState } from 'react'
import { selectSession } from '@/lib/core/state/selectors'
import { selectTimeline } from '@/lib/core/state/timeline'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRoom } from '@/components/mesh/use-room'
import { Badge } from '@/components/ui/Badge'
import { ActionPanel } from '@/components/session/ActionPanel'
import { peerName, repositoriesOf, taskTitle } from '@/components/session/names'
import { useDerived } from '@/components/session/use-derived'
import { useSessionActions } from '@/components/session/use-session-actions'
import type { ActionForm } from '@/lib/stores/ui-inbox'
import { STATUS_TONE } from './status'
import { Timeline } from './Timeline'

const PRESENCE_TONE = { alive: 'green', suspect: 'amber', dead: 'red', left: 'grey', unknown: 'grey' } as const

/** One session's page: timeline, consensus, participants, actions. */
export function SessionView({ id }: { id: string }) {
  const state = useRoom((s) => s)
  const session = useDerived((s) => selectSession(s, id as never), [id])
  const entries = useDerived((s) => selectTimeline(s, id as never), [id])
  const peers = useMesh((s) => s.peers)
  const self = useMesh((s) => s.self?.peerId)
  const [compact, setCompact] = useState(false)
  const [form, setForm] = useState<ActionForm>(null)
  const actions = useSessionActions(state, session)
  if (state == null) return <p className="text-sm text-muted">Loading the room …</p>
  if (!session || !entries) {
    return <p className="text-sm text-muted" data-testid="session-missing">This tab has not received session <code>{id}</code> (yet). It appears here as soon as it arrives. <Link className="underline" href="/sessions">All sessions</Link></p>
  }
  const presence = (p: string) => (p === self ? 'alive' : peers.find((r) => r.peerId === p)?.status ?? 'unknown')
  return (
    <article className="space-y-5" data-testid="session-view" data-session={session.id}>
      <header className="space-y-1">
        <p className="text-xs text-muted"><Link href="/sessions" className="hover:underline">Sessions</Link> / {session.type}</p>
        <h1 className="text-xl font-semibold">{session.tasks.map((t) => taskTitle(state, t)).join(' ↔ ')}</h1>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span data-testid="session-status" className="contents"><Badge tone={STATUS_TONE[session.status]}>{session.status}</Badge></span>
          <span className="text-muted">rule {session.rule} · {repositoriesOf(state, session.tasks).join(' · ')}</span>
          <label className="ml-auto flex items-center gap-1 text-xs"><input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} /> compact</label>
        </div>
      </header>
      <div className="grid gap-6 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="timeline-title"><h2 id="timeline-title" className="sr-only">Timeline</h2><Timeline state={state} session={session} entries={entries} compact={compact} /></section>
        <aside className="space-y-4">
          <section aria-label="Consensus" className="space-y-1" data-testid="consensus" data-agreed={session.agreed.length} data-required={session.consensus.required}>
            <h2 className="text-sm font-semibold">Consensus</h2>
            <p className="text-sm">{session.plans.length === 0 ? 'No plan yet.' : `${session.agreed.length} of ${session.consensus.required} needed agree with v${session.plans.length}`}{session.consensus.reached && ' — reached'}</p>
            {session.consensus.concerns.length > 0 && <p className="text-sm text-rose-700 dark:text-rose-400">Open concerns: {session.consensus.concerns.map((p) => peerName(state, p)).join(', ')}</p>}
          </section>
          <section aria-label="Participants">
            <h2 className="text-sm font-semibold">Participants</h2>
            <ul className="text-sm">
              {session.participants.map((p) => (
                <li key={p} className="flex items-center gap-2" data-testid="participant" data-presence={presence(p)}>
                  <Badge tone={PRESENCE_TONE[presence(p)]}>{presence(p)}</Badge>{peerName(state, p)}
                  {session.agreed.includes(p) && <span className="text-xs text-emerald-700 dark:text-emerald-400">agrees</span>}
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
