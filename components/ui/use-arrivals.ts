'use client'
/**
 * Tells the reviewer when a request for a human arrives: an in-app toast, and a browser
 * notification when the tab is in the background. Permission for notifications is asked for
 * when the first request arrives, not on load. Requests already there when the tab loaded, or
 * raised more than a minute ago (a catch-up after a long absence), are not announced.
 *
 * Arrivals are found as the room store takes a change, before React renders it: the
 * notification does not wait for a render of the whole view and its effects.
 */
import { useContext, useEffect, useRef, useState } from 'react'
import { useRouter } from 'next/navigation'
import { approvalsNeeded } from '@/lib/core/sessions/quorum'
import { requestOf, type HumanRequest } from '@/lib/core/state/selectors'
import type { RoomState } from '@/lib/core/state/types'
import { RoomStoreContext } from '@/components/mesh/MeshProvider'
import { sessionTitle } from '@/components/session/names'
import { kindLabel } from '@/components/inbox/inbox-model'
import { useUiInbox } from './UiProvider'

const FRESH_MS = 60_000
const ASKED_KEY = 'chorus.notifications.asked'

/** Open requests, keyed by id, built only for the ids not seen before. */
function openRequests(s: RoomState, known: ReadonlySet<string>): { ids: Set<string>; fresh: HumanRequest[] } {
  const ids = new Set<string>()
  const fresh: HumanRequest[] = []
  let needed: number | undefined
  for (const x of s.sessions.values()) {
    if (x.status === 'escalated' && x.escalation) {
      ids.add(x.escalation.event)
      if (known.has(x.escalation.event)) continue
    } else if (!(x.status === 'active' && x.approvals.length > 0)) continue
    needed ??= approvalsNeeded(s.config, s.members.values())
    const q = requestOf(s, x, needed)
    if (!q) continue
    ids.add(q.id)
    if (!known.has(q.id)) fresh.push(q)
  }
  return { ids, fresh }
}

/** A toast about an arrived request. */
export interface Arrival {
  id: string
  session: string
  title: string
  text: string
}

/**
 * The toasts after `items` arrive: at most 3, and one per session and kind — when both agents
 * of a session ask for approval, the second request replaces the first's toast rather than
 * showing the same line twice.
 */
export function mergeArrivals(shown: readonly Arrival[], items: readonly Arrival[]): Arrival[] {
  const fresh: Arrival[] = []
  for (const it of items) if (!fresh.some((x) => x.session === it.session && x.title === it.title)) fresh.push(it)
  return [...shown.filter((x) => !fresh.some((it) => it.session === x.session && it.title === x.title)), ...fresh].slice(-3)
}

/** The arrivals to toast, and a way to drop one. */
export function useArrivals(): { arrivals: Arrival[]; drop(id: string): void; canAsk: boolean; ask(): void } {
  const room = useContext(RoomStoreContext)
  if (room == null) throw new Error('useArrivals must be used inside <MeshProvider>')
  const select = useUiInbox((s) => s.select)
  const router = useRouter()
  // A notification's click reads them when clicked.
  const open = useRef({ select, router })
  useEffect(() => {
    open.current = { select, router }
  }, [select, router])
  const [arrivals, setArrivals] = useState<Arrival[]>([])
  const [canAsk, setCanAsk] = useState(false)

  useEffect(() => {
    let known: Set<string> | null = null
    const take = (state: RoomState | undefined) => {
      if (state == null) return
      const { ids, fresh } = openRequests(state, known ?? new Set())
      const first = known == null
      known = ids
      if (first) return
      const now = Date.now()
      const news = fresh.filter((q) => now - q.at < FRESH_MS)
      if (news.length === 0) return
      const items = news.map((q) => ({ id: q.id, session: q.session, title: kindLabel(q), text: sessionTitle(state, state.sessions.get(q.session)?.tasks ?? []) }))
      notify(items, now, setCanAsk, (it) => {
        window.focus()
        open.current.select(it.session)
        open.current.router.push('/inbox')
      })
      setArrivals((a) => mergeArrivals(a, items))
      for (const it of items) setTimeout(() => setArrivals((a) => a.filter((x) => x.id !== it.id)), 20_000)
    }
    take(room.getState().state)
    return room.subscribe((s, prev) => {
      if (s.version === prev.version) return
      // This runs inside the store's update, before the views hear of it: a throw here would
      // keep the views that subscribed later from rendering the change.
      try {
        take(s.state)
      } catch (err) {
        console.error('announcing a request for a human failed', err)
      }
    })
  }, [room])

  return {
    arrivals,
    drop: (id) => setArrivals((a) => a.filter((x) => x.id !== id)),
    canAsk,
    ask: () => void Notification.requestPermission().then(() => setCanAsk(false)),
  }
}

/**
 * Asks for permission on the first arrival ever, and shows a browser notification per item
 * while the tab is hidden or unfocused.
 */
function notify(items: readonly Arrival[], now: number, setCanAsk: (can: boolean) => void, onClick: (it: Arrival) => void): void {
  if (typeof Notification === 'undefined') return
  if (Notification.permission === 'default' && localStorage.getItem(ASKED_KEY) == null) {
    localStorage.setItem(ASKED_KEY, String(now))
    void Notification.requestPermission().then((p) => setCanAsk(p === 'default'), () => setCanAsk(true))
  }
  if (Notification.permission !== 'granted' || (document.visibilityState !== 'hidden' && document.hasFocus())) return
  for (const it of items) {
    const n = new Notification(`Chorus Mesh: ${it.title}`, { body: it.text, tag: it.id })
    n.onclick = () => onClick(it)
  }
}

/** Keeps "(n) " in front of the document title while n requests are unread. */
export function useTitleCount(n: number): void {
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(/^\(\d+\) /, '')
      const want = n > 0 ? `(${n}) ${base}` : base
      if (document.title !== want) document.title = want
    }
    apply()
    // Next.js sets the title again on every navigation.
    const head = document.querySelector('head')
    const obs = new MutationObserver(apply)
    if (head) obs.observe(head, { subtree: true, childList: true, characterData: true })
    return () => obs.disconnect()
  }, [n])
}
