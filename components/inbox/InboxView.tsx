'use client'
/** `/inbox`: escalations for humans, oldest first, with a detail pane and keyboard control. */
import { useEffect, useMemo, useState } from 'react'
import { useRoom } from '@/components/mesh/use-room'
import { useUiInbox } from '@/components/ui/UiProvider'
import { useNow } from '@/components/ui/use-now'
import { peerName } from '@/components/session/names'
import { useDerived } from '@/components/session/use-derived'
import { INBOX_FILTERS } from '@/lib/stores/ui-inbox'
import { createInboxRows, step } from './inbox-model'
import { commandFor } from './keys'
import { InboxDetail } from './InboxDetail'
import { InboxList } from './InboxList'
import { KeyHelp } from './KeyHelp'

/** The escalation inbox page. */
export function InboxView() {
  const filter = useUiInbox((s) => s.filter)
  const setFilter = useUiInbox((s) => s.setFilter)
  const selected = useUiInbox((s) => s.selected)
  const select = useUiInbox((s) => s.select)
  const read = useUiInbox((s) => s.read)
  const setForm = useUiInbox((s) => s.setForm)
  const help = useUiInbox((s) => s.help)
  const setHelp = useUiInbox((s) => s.setHelp)
  const state = useRoom((s) => s)
  // Kept across replica changes: only changed sessions' rows are rebuilt (10,000 stay cheap).
  const [rowsOf] = useState(createInboxRows)
  const rows = useDerived((s) => rowsOf(s, filter), [filter])
  const list = useMemo(() => rows ?? [], [rows])
  const now = useNow(5000)

  useEffect(() => {
    if (list.length > 0 && (selected == null || !list.some((r) => r.session === selected))) select(list[0].session)
  }, [list, selected, select])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd = commandFor(e)
      if (cmd === 'next' || cmd === 'prev') {
        e.preventDefault()
        select(step(list, selected, cmd === 'next' ? 1 : -1))
      } else if (cmd === 'help') setHelp(!help)
      else if (cmd === 'close') {
        setHelp(false)
        setForm(null)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [list, selected, select, help, setHelp, setForm])

  return (
    <section className="space-y-4" aria-labelledby="inbox-title">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 id="inbox-title" className="text-xl font-semibold">Inbox</h1>
          <p className="text-sm text-muted">Escalated sessions waiting for a human, oldest first. Press <kbd>?</kbd> for keys.</p>
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
        <Empty filter={filter} />
      ) : (
        <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <InboxList rows={list} selected={selected} read={read} now={now} onSelect={select} claimerName={(p) => peerName(state, p)} />
          <div className="max-h-[70vh] overflow-auto">{selected && <InboxDetail key={selected} state={state} id={selected} />}</div>
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
        Sessions land here when agents cannot agree: too many messages, too long, or a participant asks for a human. To see one, start
        agents with <code className="font-mono">npm start -- --demo</code> or <code className="font-mono">chorus-mesh agent --invite …</code>.
      </p>
    </div>
  )
}
