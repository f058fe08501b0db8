'use client'
/**
 * The list of requests, virtualised (components/ui/VirtualList.tsx: 10,000 stay smooth); the
 * page's own keys move the selection (j/k, arrows), the list adds Home/End and Enter.
 */
import { Badge } from '@/components/ui/Badge'
import { formatDate } from '@/components/ui/format'
import { ago } from '@/components/ui/use-now'
import { VirtualList } from '@/components/ui/VirtualList'
import { kindLabel, type InboxRow } from './inbox-model'

const ROW = 64

/** The DOM id of a row, for `aria-activedescendant`. */
export const optionId = (session: string): string => `inbox-option-${session}`

const tone = (r: InboxRow) => (r.decided ? 'grey' : r.kind === 'escalation' ? 'amber' : 'blue')

/** Rows with kind, age, repositories and summary; `selected` is kept in view. */
export function InboxList({ rows, selected, read, now, onSelect, claimerName, onOpen, className = '' }: {
  rows: InboxRow[]
  selected: string | null
  read: ReadonlySet<string>
  now: number
  onSelect(session: string): void
  /** Enter on the list, or a click: show the item (the phone layout switches to it). */
  onOpen(session: string): void
  claimerName(peer: string): string
  className?: string
}) {
  return (
    <VirtualList
      items={rows}
      rowHeight={ROW}
      keyOf={(r) => r.session}
      optionId={optionId}
      active={selected}
      onActive={onSelect}
      onOpen={(session) => onOpen(session)}
      label="Requests for a human"
      id="inbox-list"
      className={`rounded border border-zinc-200 dark:border-zinc-800 ${className}`}
      attributes={{ 'data-testid': 'inbox-list', 'data-count': rows.length }}
      option={(r, active) => {
        const unread = !r.decided && !read.has(r.id)
        return {
          attributes: {
            'data-testid': 'inbox-row', 'data-session': r.session, 'data-kind': r.kind, 'data-claimed': r.claimedBy != null,
            className: `cursor-pointer border-b border-zinc-100 px-3 py-1.5 text-sm dark:border-zinc-900 ${active ? 'bg-sky-50 ring-2 ring-inset ring-sky-600 dark:bg-sky-950' : 'hover:bg-zinc-50 dark:hover:bg-zinc-900'}`,
          },
          content: (
            <>
              <div className="flex items-center gap-2">
                {unread && <span className="h-2 w-2 shrink-0 rounded-full bg-sky-600" role="img" aria-label="unread" />}
                <Badge tone={tone(r)}>{kindLabel(r)}</Badge>
                {r.decided && <Badge tone="green">{r.status}</Badge>}
                {r.claimedBy && <Badge tone="amber">claimed · {claimerName(r.claimedBy)}</Badge>}
                <span className="truncate text-xs text-muted">{r.repositories.join(' · ')}</span>
                <span className="ml-auto shrink-0 text-xs text-muted" title={formatDate(r.raisedAt)}>{ago(r.raisedAt, now)}</span>
              </div>
              <p className={`truncate ${unread ? 'font-medium' : ''}`}>{r.summary}</p>
            </>
          ),
        }
      }}
    />
  )
}
