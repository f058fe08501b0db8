'use client'
/** The virtualised list of escalations: only the rows in view are in the DOM (10,000 stay smooth). */
import { useEffect, useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Badge } from '@/components/ui/Badge'
import { ago } from '@/components/ui/use-now'
import { REASON_LABEL, type InboxRow } from './inbox-model'

const ROW = 64

/** The DOM id of a row, for `aria-activedescendant`. */
export const optionId = (session: string): string => `inbox-option-${session}`

/** Rows with reason, age, repositories and summary; `selected` is kept in view. */
export function InboxList({ rows, selected, read, now, onSelect, claimerName }: {
  rows: InboxRow[]
  selected: string | null
  read: ReadonlySet<string>
  now: number
  onSelect(session: string): void
  claimerName(peer: string): string
}) {
  const parent = useRef<HTMLDivElement>(null)
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 8 })
  const index = rows.findIndex((r) => r.session === selected)
  useEffect(() => {
    if (index >= 0) v.scrollToIndex(index, { align: 'auto' })
  }, [index, v])
  return (
    <div
      ref={parent}
      className="h-[70vh] overflow-auto rounded border border-zinc-200 dark:border-zinc-800"
      role="listbox"
      tabIndex={0}
      aria-label="Escalations"
      aria-activedescendant={index >= 0 ? optionId(rows[index].session) : undefined}
      data-testid="inbox-list"
      data-count={rows.length}
    >
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((item) => {
          const r = rows[item.index]
          const active = r.session === selected
          const unread = !r.decided && !read.has(r.escalation)
          return (
            <div
              key={r.session}
              role="option"
              id={optionId(r.session)}
              aria-selected={active}
              data-testid="inbox-row"
              data-session={r.session}
              data-claimed={r.claimedBy != null}
              onClick={() => onSelect(r.session)}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${item.start}px)` }}
              className={`cursor-pointer border-b border-zinc-100 px-3 py-1.5 text-sm dark:border-zinc-900 ${active ? 'bg-sky-50 dark:bg-sky-950' : 'hover:bg-zinc-50 dark:hover:bg-zinc-900'}`}
            >
              <div className="flex items-center gap-2">
                {unread && <span className="h-2 w-2 rounded-full bg-sky-500" aria-label="unread" />}
                <Badge tone={r.decided ? 'grey' : r.reason === 'requested' ? 'blue' : 'amber'}>{REASON_LABEL[r.reason]}</Badge>
                {r.decided && <Badge tone="green">{r.status}</Badge>}
                {r.claimedBy && <Badge tone="amber">claimed · {claimerName(r.claimedBy)}</Badge>}
                <span className="truncate text-xs text-muted">{r.repositories.join(' · ')}</span>
                <span className="ml-auto shrink-0 text-xs text-muted">{ago(r.escalatedAt, now)}</span>
              </div>
              <p className={`truncate ${unread ? 'font-medium' : ''}`}>{r.summary}</p>
            </div>
          )
        })}
      </div>
    </div>
  )
}
