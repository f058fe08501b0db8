'use client'
/**
 * The corner of the screen that talks back: decisions in their undo window (Undo, Send now),
 * what happened to them once sent, and requests that just arrived. One polite live region, so
 * a screen reader hears each once; the tab title carries the unread count.
 */
import Link from 'next/link'
import { useEffect, useRef } from 'react'
import { useUiDecisions, useUiInbox } from './UiProvider'
import { useNow } from './use-now'
import { useUnread } from './Nav'
import { useArrivals, useTitleCount } from './use-arrivals'

export function Notices() {
  const pending = useUiDecisions((s) => s.pending)
  const notices = useUiDecisions((s) => s.notices)
  const undo = useUiDecisions((s) => s.undo)
  const sendNow = useUiDecisions((s) => s.sendNow)
  const dismissNotice = useUiDecisions((s) => s.dismissNotice)
  const select = useUiInbox((s) => s.select)
  const { arrivals, drop, canAsk, ask } = useArrivals()
  const now = useNow(pending.length > 0 ? 500 : 60_000)
  useTitleCount(useUnread())
  const ref = useNoticesHeight()
  return (
    <section ref={ref} className="pointer-events-none fixed inset-x-2 bottom-2 z-40 flex flex-col items-end gap-2 sm:left-auto sm:right-4 sm:w-96" aria-label="Notifications" aria-live="polite" data-testid="notices">
      {pending.map((p) => (
        <div key={p.id} className="pointer-events-auto w-full rounded border border-zinc-300 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900" data-testid="pending-decision">
          <p>{p.label}</p>
          <div className="mt-2 flex items-center gap-2">
            <button type="button" className="btn" onClick={() => (undo(p.id), select(p.session))} data-testid="undo">Undo <kbd className="text-xs text-muted">z</kbd></button>
            <button type="button" className="btn" onClick={() => void sendNow(p.id)} data-testid="send-now">Send now</button>
            <span className="ml-auto text-xs text-muted">sends in {Math.max(0, Math.ceil((p.deadline - now) / 1000))} s</span>
          </div>
        </div>
      ))}
      {notices.map((n) => (
        <div key={n.id} className={`pointer-events-auto w-full rounded border p-3 text-sm shadow-lg ${n.error ? 'border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100' : 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100'}`} data-testid="decision-notice" data-ok={n.error == null}>
          <p>{n.error ? `${n.label} — ${n.error}` : `Sent: ${n.label}`}</p>
          <button type="button" className="btn mt-2" onClick={() => dismissNotice(n.id)}>OK</button>
        </div>
      ))}
      {arrivals.map((a) => (
        <div key={a.id} className="pointer-events-auto w-full rounded border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950 shadow-lg dark:border-sky-800 dark:bg-sky-950 dark:text-sky-50" data-testid="arrival">
          <p><b>New: {a.title}</b> — {a.text}</p>
          <div className="mt-2 flex gap-2">
            <Link className="btn" href="/inbox" onClick={() => (select(a.session), drop(a.id))}>Open in inbox</Link>
            {canAsk && <button type="button" className="btn" onClick={ask}>Notify me in this browser</button>}
            <button type="button" className="btn" onClick={() => drop(a.id)}>Dismiss</button>
          </div>
        </div>
      ))}
    </section>
  )
}

/**
 * Publishes how much of the viewport's bottom the notices cover as `--notices-h`, so the page
 * and the inbox's detail pane can scroll their last lines above them instead of under them.
 */
function useNoticesHeight() {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    const el = ref.current
    if (el == null) return
    const root = document.documentElement
    const set = () => root.style.setProperty('--notices-h', el.childElementCount > 0 ? `${Math.ceil(window.innerHeight - el.getBoundingClientRect().top)}px` : '0px')
    const seen = new ResizeObserver(set)
    seen.observe(el)
    window.addEventListener('resize', set)
    return () => {
      seen.disconnect()
      window.removeEventListener('resize', set)
      root.style.removeProperty('--notices-h')
    }
  }, [])
  return ref
}
