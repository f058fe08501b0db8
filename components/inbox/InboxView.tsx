'use client'
/**
 * `/inbox`: every request for a human (escalations, approval requests, plans awaiting quorum),
 * oldest first, with the selected one's card beside the list, keyboard control throughout, and
 * on a phone the list first, then the card on its own screen.
 */
import { useEffect, useMemo, useState } from 'react'
import { useRoom } from '@/components/mesh/use-room'
import { useUiDecisions, useUiInbox } from '@/components/ui/UiProvider'
import { useNow } from '@/components/ui/use-now'
import { peerName } from '@/components/session/names'
import { useDerived } from '@/components/session/use-derived'
import { INBOX_FILTERS } from '@/lib/stores/ui-inbox'
import { createInboxRows, step } from './inbox-model'
import { commandFor } from './keys'
import { InboxDetail } from './InboxDetail'
import { InboxList } from './InboxList'
import { KeyHelp } from './KeyHelp'

/** Time one render may spend building inbox rows: well under a frame budget's long task. */
const ROW_SLICE_MS = 30

const focusList = () => document.getElementById('inbox-list')?.focus()

/** The inbox page. */
export function InboxView() {
  const filter = useUiInbox((s) => s.filter)
  const setFilter = useUiInbox((s) => s.setFilter)
  const selected = useUiInbox((s) => s.selected)
  const select = useUiInbox((s) => s.select)
  const read = useUiInbox((s) => s.read)
  const dismissed = useUiInbox((s) => s.dismissed)
  const form = useUiInbox((s) => s.form)
  const setForm = useUiInbox((s) => s.setForm)
  const help = useUiInbox((s) => s.help)
  const setHelp = useUiInbox((s) => s.setHelp)
  const showDetail = useUiInbox((s) => s.showDetail)
  const setShowDetail = useUiInbox((s) => s.setShowDetail)
  const undoLast = useUiDecisions((s) => s.undo)
  const lastPending = useUiDecisions((s) => s.pending[s.pending.length - 1])
  const state = useRoom((s) => s)
  // Kept across replica changes: only changed sessions' rows are rebuilt (10,000 stay cheap).
  // A room opening with thousands of requests builds them a slice per task, so the page keeps
  // answering; each slice's rows show as they come, as they do while a room catches up.
  const [rowsOf] = useState(() => createInboxRows({ ms: ROW_SLICE_MS }))
  const [slices, setSlices] = useState(0)
  const rows = useDerived((s) => rowsOf(s, filter), [filter, slices])
  const building = rowsOf.unfinished
  useEffect(() => {
    if (!building) return
    const t = setTimeout(() => setSlices((n) => n + 1))
    return () => clearTimeout(t)
  }, [rows, slices, building])
  const list = useMemo(() => {
    const all = rows ?? []
    return dismissed.size === 0 || filter === 'decided' ? all : all.filter((r) => r.decided || !dismissed.has(r.id))
  }, [rows, dismissed, filter])
  const now = useNow(5000)
  const row = list.find((r) => r.session === selected)

  useEffect(() => {
    if (list.length > 0 && (selected == null || !list.some((r) => r.session === selected))) select(list[0].session)
  }, [list, selected, select])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd = commandFor(e)
      if (form != null) return
      if (cmd === 'next' || cmd === 'prev') {
        e.preventDefault()
        select(step(list, selected, cmd === 'next' ? 1 : -1))
      } else if (cmd === 'help') setHelp(!help)
      else if (cmd === 'undo' && lastPending) {
        undoLast(lastPending.id)
        select(lastPending.session)
        focusList()
      } else if (cmd === 'close') {
        setHelp(false)
        if (showDetail) (setShowDetail(false), setTimeout(focusList))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [list, selected, select, help, setHelp, form, lastPending, undoLast, showDetail, setShowDetail])

  /** After a decision is queued: the next item is selected and the list has focus. */
  const next = () => {
    const i = list.findIndex((r) => r.session === selected)
    const after = list[i + 1] ?? list[i - 1]
    if (after) select(after.session)
    setShowDetail(false)
    setTimeout(focusList)
  }

  return (
    <section className="space-y-4" aria-labelledby="inbox-title">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 id="inbox-title" className="text-xl font-semibold">Inbox</h1>
          <p className="text-sm text-muted">Everything waiting for a human, oldest first. Press <kbd>?</kbd> for keys.</p>
        </div>
        <div role="radiogroup" aria-label="Filter" className="ml-auto flex gap-1">
          {INBOX_FILTERS.map((f) => (
            <button key={f} type="button" role="radio" aria-checked={filter === f} onClick={() => setFilter(f)} className={filter === f ? 'btn-primary' : 'btn'} data-testid={`filter-${f}`}>
              {f}
            </button>
          ))}
        </div>
      </div>
      {state == null ? (
        <p className="text-sm text-muted">Loading the room …</p>
      ) : list.length === 0 ? (
        building ? <p className="text-sm text-muted">Loading requests …</p> : <Empty filter={filter} />
      ) : (
        <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <InboxList
            className={`h-[70vh] ${showDetail ? 'hidden md:block' : ''}`}
            rows={list}
            selected={selected}
            read={read}
            now={now}
            onSelect={select}
            onOpen={() => setShowDetail(true)}
            claimerName={(p) => peerName(state, p)}
          />
          <div className={`md:max-h-[70vh] md:overflow-auto md:pb-[var(--notices-h,0px)] ${showDetail ? '' : 'hidden md:block'}`} tabIndex={-1} data-focus-inset>
            {showDetail && (
              <button type="button" className="btn mb-3 md:hidden" onClick={() => (setShowDetail(false), setTimeout(focusList))} data-testid="back-to-list">
                ← All requests
              </button>
            )}
            {row && <InboxDetail key={row.session} state={state} row={row} now={now} onDecided={next} />}
          </div>
        </div>
      )}
      {help && <KeyHelp onClose={() => setHelp(false)} />}
    </section>
  )
}

function Empty({ filter }: { filter: string }) {
  return (
    <div className="rounded border border-dashed border-zinc-300 p-6 text-sm text-muted dark:border-zinc-700" data-testid="inbox-empty">
      <p className="font-medium text-zinc-700 dark:text-zinc-300">Nothing {filter === 'all' ? 'here' : filter} right now.</p>
      <p className="mt-1">
        Requests land here when agents cannot agree (too many messages, too long), ask a reviewer to approve their plan, or a plan
        waits for more approvals. To see some, start agents with <code className="font-mono">npm start -- --demo</code> or{' '}
        <code className="font-mono">chorus-mesh agent --invite …</code>.
      </p>
    </div>
  )
}
