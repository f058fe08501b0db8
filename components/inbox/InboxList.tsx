'use client'
/**
 * The virtualised list of requests: only the rows in view are in the DOM (10,000 stay smooth).
 * It is one focusable listbox whose active option is named by `aria-activedescendant`, so the
 * keyboard moves the selection (j/k, arrows, Home/End) without a tab stop per row.
 */
import { useEffect, useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Badge } from '@/components/ui/Badge'
import { ago } from '@/components/ui/use-now'
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
  const parent = useRef<HTMLDivElement>(null)
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 8 })
  const index = rows.findIndex((r) => r.session === selected)
  useEffect(() => {
    if (index >= 0) v.scrollToIndex(index, { align: 'auto' })
  }, [index, v])
  return (
    <div
      ref={parent}
      id="inbox-list"
      className={`overflow-auto rounded border border-zinc-200 dark:border-zinc-800 ${className}`}
      role="listbox"
      tabIndex={0}
      aria-label="Requests for a human"
      aria-activedescendant={index >= 0 ? optionId(rows[index].session) : undefined}
      data-testid="inbox-list"
      data-count={rows.length}
      onKeyDown={(e) => {
        if (e.key === 'Home' || e.key === 'End') {
          e.preventDefault()
          onSelect(rows[e.key === 'Home' ? 0 : rows.length - 1].session)
        } else if (e.key === 'Enter' && selected != null) {
          e.preventDefault()
          onOpen(selected)
        }
      }}
    >
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((item) => {
          const r = rows[item.index]
          const active = r.session === selected
          const unread = !r.decided && !read.has(r.id)
          return (
            <div
              key={r.session}
              role="option"
              id={optionId(r.session)}
              aria-selected={active}
              data-testid="inbox-row"
              data-session={r.session}
              data-kind={r.kind}
              data-claimed={r.claimedBy != null}
              onClick={() => (onSelect(r.session), onOpen(r.session))}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${item.start}px)` }}
              className={`cursor-pointer border-b border-zinc-100 px-3 py-1.5 text-sm dark:border-zinc-900 ${active ? 'bg-sky-50 ring-2 ring-inset ring-sky-600 dark:bg-sky-950' : 'hover:bg-zinc-50 dark:hover:bg-zinc-900'}`}
            >
              <div className="flex items-center gap-2">
                {unread && <span className="h-2 w-2 shrink-0 rounded-full bg-sky-600" role="img" aria-label="unread" />}
                <Badge tone={tone(r)}>{kindLabel(r)}</Badge>
                {r.decided && <Badge tone="green">{r.status}</Badge>}
                {r.claimedBy && <Badge tone="amber">claimed · {claimerName(r.claimedBy)}</Badge>}
                <span className="truncate text-xs text-muted">{r.repositories.join(' · ')}</span>
                <span className="ml-auto shrink-0 text-xs text-muted" title={new Date(r.raisedAt).toLocaleString()}>{ago(r.raisedAt, now)}</span>
              </div>
              <p className={`truncate ${unread ? 'font-medium' : ''}`}>{r.summary}</p>
            </div>
          )
        })}
      </div>
    </div>
  )
}
