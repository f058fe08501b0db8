'use client'
/** The overview's mesh health: who is here, how we reach them, and the relay. */
import { useMesh } from './use-mesh'

export function MeshHealth() {
  const peers = useMesh((s) => s.peers)
  const relay = useMesh((s) => s.relay)
  const room = useMesh((s) => s.room)
  const status = useMesh((s) => s.status)
  const replica = useMesh((s) => s.replica)
  const membership = useMesh((s) => s.membership)
  const inSync = peers.filter((p) => p.root != null && p.root === replica?.root).length
  const alive = peers.filter((p) => p.status === 'alive')
  const count = (pred: (p: (typeof peers)[number]) => boolean) => alive.filter(pred).length
  const cards = [
    { label: 'Humans online', value: count((p) => p.kind === 'human') + (status === 'running' ? 1 : 0) },
    { label: 'Agents online', value: count((p) => p.kind === 'agent') },
    { label: 'Direct WebRTC links', value: count((p) => p.transport === 'webrtc') },
    { label: 'Relay', value: relay },
    { label: 'Events in the log', value: replica?.events ?? 0 },
    { label: 'Peers in sync', value: `${inSync} / ${peers.filter((p) => p.root != null).length}` },
    { label: 'Your role', value: membership?.status === 'member' ? membership.role : 'guest' },
    { label: 'Log root', value: replica?.root.slice(0, 10) ?? '—' },
  ]
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{room?.name ?? 'Chorus Mesh'}</h1>
        <p className="text-sm text-muted">
          {room != null ? <>Room <span className="font-mono">{room.id}</span></> : status === 'error' ? 'Not connected.' : 'Joining the mesh …'}
        </p>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {cards.map((c) => (
          <div key={c.label} className="rounded border border-zinc-200 p-3 dark:border-zinc-800">
            <div className="text-xs uppercase text-muted">{c.label}</div>
            <div className="mt-1 text-2xl font-semibold tabular-nums">{c.value}</div>
          </div>
        ))}
      </div>
    </section>
  )
}
