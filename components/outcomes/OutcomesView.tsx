'use client'
/** `/outcomes`: a record per finished session (CHORUS's SLURP event), exportable as NDJSON. */
import { outcomesNdjson, selectOutcomes } from '@/lib/core/state/selectors'
import { useRoom } from '@/components/mesh/use-room'
import { Badge } from '@/components/ui/Badge'
import Link from 'next/link'
import { sessionTitle } from '@/components/session/names'
import { formatDate, formatDuration } from '@/components/ui/format'

/** The outcomes page. */
export function OutcomesView() {
  const state = useRoom((s) => s)
  const outcomes = useRoom(selectOutcomes)
  const download = () => {
    if (!state) return
    const url = URL.createObjectURL(new Blob([outcomesNdjson(state)], { type: 'application/x-ndjson' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `outcomes-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.ndjson`
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
  return (
    <section className="space-y-4" aria-labelledby="outcomes-title">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 id="outcomes-title" className="text-xl font-semibold">Outcomes</h1>
          <p className="text-sm text-muted">How every finished session ended. The relay also serves these at <code className="font-mono">/api/outcomes</code>.</p>
        </div>
        <button type="button" className="btn ml-auto" onClick={download} disabled={!outcomes?.length} data-testid="export-ndjson">Export NDJSON</button>
      </div>
      {!outcomes?.length ? (
        <p className="rounded border border-dashed border-zinc-300 p-6 text-sm text-muted dark:border-zinc-700">No session has finished yet. Sessions end by consensus, by a reviewer's approval or decision, or by inactivity.</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Outcomes table" data-focus-inset>
        <table className="w-full text-left text-sm" data-testid="outcomes-table">
          <thead className="border-b border-zinc-200 text-xs uppercase text-muted dark:border-zinc-800">
            <tr><th className="py-2 pr-3 font-medium">Outcome</th><th className="pr-3 font-medium">Session</th><th className="pr-3 font-medium">Participants</th><th className="pr-3 font-medium">Messages</th><th className="pr-3 font-medium">Consensus</th><th className="pr-3 font-medium">Duration</th><th className="pr-3 font-medium">Ended</th><th className="font-medium">Decision</th></tr>
          </thead>
          <tbody>
            {outcomes.map((o) => (
              <tr key={o.session} className="border-b border-zinc-100 dark:border-zinc-900" data-testid="outcome-row">
                <td className="py-1.5 pr-3"><Badge tone={o.outcome === 'closed' ? 'grey' : 'green'}>{o.outcome.replace('_', ' ')}</Badge>{o.escalated && <span className="ml-1 text-xs text-amber-800 dark:text-amber-300">escalated</span>}</td>
                <td className="pr-3"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/sessions/${o.session}`}>{o.type} · {sessionTitle(state, o.tasks)}</Link></td>
                <td className="pr-3">{o.participants.length}</td>
                <td className="pr-3">{o.messages}</td>
                <td className="pr-3">{o.consensusReached ? 'reached' : 'not reached'} · {Math.round(o.consensusStrength * 100)}%</td>
                <td className="pr-3 tabular-nums" data-testid="outcome-duration" title={`${formatDate(o.startedAt)} → ${formatDate(o.endedAt)}`}>{formatDuration(o.endedAt - o.startedAt)}</td>
                <td className="pr-3 whitespace-nowrap"><time dateTime={new Date(o.endedAt).toISOString()}>{formatDate(o.endedAt)}</time></td>
                <td className="max-w-xs truncate">{o.decision ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  )
}
