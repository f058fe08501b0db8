'use client'
/** The overview's live activity: the latest events of the room in words, newest first. */
import { formatDate } from '@/components/ui/format'
import { ago, useNow } from '@/components/ui/use-now'
import { useMesh } from './use-mesh'

export function ActivityFeed() {
  const recent = useMesh((s) => s.replica?.recent)
  const now = useNow()
  return (
    <section className="space-y-2">
      <h2 className="text-sm font-semibold uppercase text-muted">Live activity</h2>
      {recent == null || recent.length === 0 ? (
        <p className="text-sm text-muted">Nothing has happened in this room yet.</p>
      ) : (
        <ol className="divide-y divide-zinc-100 rounded border border-zinc-200 text-sm dark:divide-zinc-900 dark:border-zinc-800" data-testid="activity">
          {recent.map((item) => (
            <li key={item.id} className="flex gap-3 px-3 py-2" data-testid="activity-item" data-kind={item.kind}>
              <span className="w-24 shrink-0 tabular-nums text-muted" title={formatDate(item.time)}>
                {ago(item.time, now)}
              </span>
              <span className="shrink-0 font-medium">{item.who}</span>
              <span className="min-w-0 truncate text-zinc-700 dark:text-zinc-300">{item.what}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
