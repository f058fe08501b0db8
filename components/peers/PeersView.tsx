'use client'
/** `/peers`: this tab and every peer it has heard from, with status, transport and RTT. */
import type { PeerRow } from '@/lib/net/presence/service'
import type { PresenceStatus } from '@/lib/core/presence/tracker'
import type { TransportKind } from '@/lib/net/transport-kind'
import type { PeerFlags } from '@/lib/net/tab-mesh'
import { useMesh } from '@/components/mesh/use-mesh'
import { RevokeButton } from './RevokeButton'
import { Badge, type Tone } from '@/components/ui/Badge'
import { formatDate } from '@/components/ui/format'
import { ago, useNow } from '@/components/ui/use-now'

const statusTone: Record<PresenceStatus, Tone> = { alive: 'green', suspect: 'amber', dead: 'red', left: 'grey' }
const transportTone: Record<TransportKind, Tone> = { webrtc: 'green', websocket: 'blue', tcp: 'blue', relayed: 'amber', none: 'grey' }
const transportHelp: Record<TransportKind, string> = {
  webrtc: 'direct WebRTC connection',
  websocket: 'direct WebSocket connection',
  tcp: 'direct TCP connection',
  relayed: 'connected through the relay (limited), waiting for the WebRTC upgrade',
  none: 'no direct connection: heard through the gossip mesh',
}

export function PeersView() {
  const self = useMesh((s) => s.self)
  const status = useMesh((s) => s.status)
  const error = useMesh((s) => s.error)
  const peers = useMesh((s) => s.peers)
  const replica = useMesh((s) => s.replica)
  const membership = useMesh((s) => s.membership)
  const now = useNow()

  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Peers</h1>
        <p className="text-sm text-muted">Everyone on this room's mesh, as this tab sees them. Updates live.</p>
      </div>

      {status === 'error' && (
        <p role="alert" className="rounded border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">
          This tab could not join the mesh: {error}
        </p>
      )}

      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" data-testid="self">
        <dt className="text-muted">This tab</dt>
        <dd data-testid="self-name">{self?.name ?? (status === 'starting' ? 'starting …' : '—')}</dd>
        <dt className="text-muted">Role</dt>
        <dd data-testid="self-role">{membership?.status === 'member' ? membership.role : 'guest'}</dd>
        <dt className="text-muted">Log</dt>
        <dd>
          <span data-testid="self-events">{replica?.events ?? 0}</span> events
          {replica != null && replica.pending > 0 && <>, {replica.pending} waiting for references</>} · root{' '}
          <span className="font-mono text-xs" data-testid="self-root" title={replica?.root}>
            {replica?.root.slice(0, 12) ?? '—'}
          </span>
        </dd>
        <dt className="text-muted">Peer id</dt>
        <dd className="flex items-center gap-2 font-mono text-xs">
          <span data-testid="self-peer-id" className="break-all">{self?.peerId ?? '—'}</span>
          {self != null && (
            <button
              type="button"
              className="rounded border border-zinc-300 px-1.5 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
              onClick={() => void navigator.clipboard?.writeText(self.peerId)}
            >
              copy
            </button>
          )}
        </dd>
      </dl>

      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Peers" data-focus-inset>
        <table className="w-full text-left text-sm">
          <thead className="border-b border-zinc-200 text-xs uppercase text-muted dark:border-zinc-800">
            <tr>
              <th className="py-2 pr-4 font-medium">Name</th>
              <th className="py-2 pr-4 font-medium">Kind</th>
              <th className="py-2 pr-4 font-medium">Role</th>
              <th className="py-2 pr-4 font-medium">Status</th>
              <th className="py-2 pr-4 font-medium">Transport</th>
              <th className="py-2 pr-4 font-medium">RTT</th>
              <th className="py-2 pr-4 font-medium">Log</th>
              <th className="py-2 pr-4 font-medium">Last heartbeat</th>
              <th className="py-2 pr-4 font-medium">Flags</th>
              <th className="py-2 font-medium">Peer id</th>
            </tr>
          </thead>
          <tbody>
            {peers.length === 0 && (
              <tr>
                <td colSpan={10} className="py-6 text-center text-muted">
                  No other peer heard yet.
                </td>
              </tr>
            )}
            {peers.map((p) => (
              <PeerTableRow key={p.peerId} peer={p} now={now} root={replica?.root} flags={replica?.flags} />
            ))}
          </tbody>
        </table>
      </div>
      <Evidence flags={replica?.flags} />
    </section>
  )
}

function PeerTableRow({ peer, now, root, flags }: { peer: PeerRow; now: number; root?: string; flags?: PeerFlags }) {
  const equivocated = flags?.equivocators.find((e) => e.peerId === peer.peerId)
  const rejected = flags?.rejectedFrom[peer.peerId]
  const rejectedCount = rejected == null ? 0 : Object.values(rejected).reduce((a, b) => a + b, 0)
  const sync = peer.root == null || root == null ? 'unknown' : peer.root === root ? 'in-sync' : 'not-in-sync'
  return (
    <tr
      className="border-b border-zinc-100 dark:border-zinc-900"
      data-testid="peer-row"
      data-peer-id={peer.peerId}
      data-name={peer.name}
      data-kind={peer.kind}
      data-status={peer.status}
      data-transport={peer.transport}
      data-sync={sync}
      data-flags={[equivocated ? 'equivocation' : '', rejectedCount > 0 ? 'rejected' : ''].filter(Boolean).join(' ')}
    >
      <td className="py-2 pr-4 font-medium">{peer.name}</td>
      <td className="py-2 pr-4">{peer.kind}</td>
      <td className="py-2 pr-4">{peer.role}</td>
      <td className="py-2 pr-4">
        <Badge tone={statusTone[peer.status]}>{peer.status}</Badge>
      </td>
      <td className="py-2 pr-4" title={transportHelp[peer.transport]}>
        <Badge tone={transportTone[peer.transport]}>{peer.transport}</Badge>
      </td>
      <td className="py-2 pr-4 tabular-nums">{peer.rttMs != null ? `${peer.rttMs} ms` : '—'}</td>
      <td className="py-2 pr-4" title={peer.root != null ? `their root ${peer.root}` : 'no log root announced'}>
        {sync === 'unknown' ? '—' : <Badge tone={sync === 'in-sync' ? 'green' : 'amber'}>{sync === 'in-sync' ? 'in sync' : 'not in sync'}</Badge>}
      </td>
      <td className="py-2 pr-4 tabular-nums" title={formatDate(peer.lastSeen)}>
        {ago(peer.lastSeen, now)}
      </td>
      <td className="space-x-1 py-2 pr-4">
        {equivocated && (
          <a href={`#evidence-${peer.peerId}`} title="signed two different events at one sequence number: quarantined">
            <Badge tone="red">equivocation</Badge>
          </a>
        )}
        {rejectedCount > 0 && (
          <span title={Object.entries(rejected ?? {}).map(([r, n]) => `${n} × ${r.replaceAll('_', ' ')}`).join(', ')}>
            <Badge tone="amber">{rejectedCount} rejected</Badge>
          </span>
        )}
        <RevokeButton peerId={peer.peerId} name={peer.name} />
      </td>
      <td className="py-2 font-mono text-xs" title={peer.peerId}>
        …{peer.peerId.slice(-10)}
      </td>
    </tr>
  )
}

/** Equivocation evidence: the two (or more) events one author signed at the same sequence number. */
function Evidence({ flags }: { flags?: PeerFlags }) {
  if (flags == null || flags.equivocators.length === 0) return null
  return (
    <div className="space-y-2" data-testid="evidence">
      <h2 className="text-sm font-semibold">Equivocation evidence</h2>
      {flags.equivocators.map((e) => (
        <div key={e.peerId} id={`evidence-${e.peerId}`} className="rounded border border-rose-200 p-3 text-xs dark:border-rose-900">
          <p>
            <span className="font-mono">{e.peerId}</span> signed {e.evidence.length} different events at sequence {e.fromSeq}; every
            peer ignores its events from there on.
          </p>
          <ul className="mt-1 list-disc pl-5 font-mono">
            {e.evidence.map((id) => (
              <li key={id}>{id}</li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}
