'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
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

/** The unread-escalations count next to "Inbox". */
function InboxBadge() {
  const read = useUiInbox((s) => s.read)
  const room = useRoom((s) => s)
  const n = room == null ? 0 : unreadCount(room, read)
  if (n === 0) return null
  return (
    <span className="ml-1 rounded-full bg-sky-600 px-1.5 text-xs font-semibold text-white" data-testid="inbox-badge" aria-label={`${n} unread`}>
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

/** The top bar: product name, views, and this tab's relay connection at a glance. */
export function Nav() {
  const path = usePathname()
  const relay = useMesh((s) => s.relay)
  const room = useMesh((s) => s.room)
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <nav className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
        <span className="font-semibold tracking-tight">Chorus Mesh</span>
        <ul className="flex flex-wrap gap-4 text-sm">
          {links.map((l) => (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={active(path, l.href) ? 'page' : undefined}
                className={active(path, l.href) ? 'font-medium text-zinc-900 dark:text-zinc-50' : 'text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100'}
              >
                {l.label}
                {l.href === '/inbox' && <InboxBadge />}
              </Link>
            </li>
          ))}
        </ul>
        <span className="ml-auto flex items-center gap-2 text-xs text-zinc-500" data-testid="relay-state">
          <span className={`inline-block h-2 w-2 rounded-full ${relayDot[relay]}`} aria-hidden />
          relay {relay}
          {room != null && <span className="hidden sm:inline">· {room.name}</span>}
        </span>
      </nav>
    </header>
  )
}
