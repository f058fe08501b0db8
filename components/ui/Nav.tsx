'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect, useState } from 'react'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRoom } from '@/components/mesh/use-room'
import { unreadCount } from '@/components/inbox/inbox-model'
import { useUiInbox } from './UiProvider'

const links = [
  { href: '/', label: 'Overview' },
  { href: '/inbox', label: 'Inbox' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/graph', label: 'Graph' },
  { href: '/outcomes', label: 'Outcomes' },
  { href: '/rules', label: 'Rules' },
  { href: '/peers', label: 'Peers' },
  { href: '/settings', label: 'Settings' },
]

/** The number of open inbox items this tab has not opened yet. */
export function useUnread(): number {
  const read = useUiInbox((s) => s.read)
  const room = useRoom((s) => s)
  return room == null ? 0 : unreadCount(room, read)
}

/** The unread count next to "Inbox". */
function InboxBadge({ n, testId = 'inbox-badge' }: { n: number; testId?: string }) {
  if (n === 0) return null
  return (
    <span className="ml-1 rounded-full bg-sky-700 px-1.5 text-xs font-semibold text-white" data-testid={testId} aria-label={`${n} unread`}>
      {n}
    </span>
  )
}

const relayDot: Record<string, string> = {
  connected: 'bg-emerald-500',
  connecting: 'bg-amber-400',
  disconnected: 'bg-rose-500',
}

const active = (path: string, href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`))

/**
 * The top bar: product name, views, and this tab's relay connection at a glance. Below the
 * `md` breakpoint the views fold behind a Menu button, so the bar stays one line on a phone.
 */
export function Nav() {
  const path = usePathname()
  const relay = useMesh((s) => s.relay)
  const room = useMesh((s) => s.room)
  const unread = useUnread()
  const [open, setOpen] = useState(false)
  useEffect(() => setOpen(false), [path])
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <nav aria-label="Views" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="font-semibold tracking-tight">Chorus Mesh</Link>
        <button
          type="button"
          className="btn md:hidden"
          aria-expanded={open}
          aria-controls="nav-views"
          onClick={() => setOpen(!open)}
          data-testid="nav-menu"
        >
          Menu{!open && <InboxBadge n={unread} testId="menu-badge" />}
        </button>
        <ul id="nav-views" className={`${open ? 'flex' : 'hidden'} order-last w-full flex-col gap-2 text-sm md:order-none md:flex md:w-auto md:flex-row md:flex-wrap md:gap-4`}>
          {links.map((l) => (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={active(path, l.href) ? 'page' : undefined}
                className={active(path, l.href) ? 'font-medium text-zinc-900 underline underline-offset-4 dark:text-zinc-50' : 'text-muted hover:text-zinc-900 dark:hover:text-zinc-100'}
              >
                {l.label}
                {l.href === '/inbox' && <InboxBadge n={unread} />}
              </Link>
            </li>
          ))}
        </ul>
        <span className="ml-auto flex items-center gap-2 text-xs text-muted" data-testid="relay-state">
          <span className={`inline-block h-2 w-2 rounded-full ${relayDot[relay]}`} aria-hidden />
          relay {relay}
          {room != null && <span className="hidden sm:inline">· {room.name}</span>}
        </span>
      </nav>
    </header>
  )
}
