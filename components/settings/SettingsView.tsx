'use client'
/** `/settings`: this tab's display name and identity, and the room's configuration (admins). */
import { useState } from 'react'
import { roleMayAuthor } from '@/lib/core/log/roles'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRoom } from '@/components/mesh/use-room'
import { useAct } from '@/components/session/use-act'
import { useActor } from '@/components/session/use-actor'
import { ConfigForm } from './ConfigForm'
import { InvitesPanel } from './InvitesPanel'
import { useRename } from '@/components/ui/use-rename'

function DisplayName() {
  const current = useMesh((s) => s.self?.name ?? '')
  const [name, setName] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const { rename, error, pending } = useRename()
  const value = name ?? current
  return (
    <form aria-label="Display name" className="flex flex-wrap items-end gap-2" onSubmit={async (e) => {
      e.preventDefault()
      setSaved(false)
      if (await rename(value)) (setName(null), setSaved(true))
    }}>
      <label className="text-sm">Display name
        <input className="field mt-0.5 block w-64" value={value} onChange={(e) => setName(e.target.value)} data-testid="display-name" />
      </label>
      <button type="submit" className="btn-primary" disabled={pending}>Save</button>
      {saved && <p role="status" className="w-full text-sm text-emerald-800 dark:text-emerald-300">Saved: the member list and every session show it.</p>}
      {error && <p role="alert" className="w-full text-sm text-rose-700 dark:text-rose-300">{error}</p>}
    </form>
  )
}

/** The settings page. */
export function SettingsView() {
  const peerId = useMesh((s) => s.self?.peerId)
  const room = useMesh((s) => s.room)
  const config = useRoom((s) => s.config)
  const actor = useActor()
  const { act, pending, error } = useAct()
  const [copied, setCopied] = useState(false)
  const reason = actor.role == null ? 'Join as an admin to change the room configuration (you are a guest).' : roleMayAuthor(actor.role, 'room.configured') ? null : `Your role (${actor.role}) cannot change the room configuration; admins and the owner can.`
  return (
    <section className="space-y-8" aria-labelledby="settings-title">
      <h1 id="settings-title" className="text-xl font-semibold">Settings</h1>
      <section aria-label="Identity" className="space-y-3">
        <h2 className="font-semibold">This tab</h2>
        <DisplayName />
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-muted">Peer id</span>
          <code className="break-all font-mono text-xs" data-testid="settings-peer-id">{peerId ?? 'starting …'}</code>
          {peerId && <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(peerId).then(() => setCopied(true))}>{copied ? 'copied' : 'copy'}</button>}
        </p>
        <p className="text-sm text-muted">Role: {actor.role ?? 'guest'}{room && <> · room {room.name}</>}</p>
      </section>
      <section aria-label="Room configuration" className="space-y-2">
        <h2 className="font-semibold">Room configuration</h2>
        <p className="text-sm text-muted">Thresholds every peer applies, mesh-wide. A change is a signed <code>room.configured</code> event.</p>
        {config ? <ConfigForm config={config} disabledReason={reason} pending={pending} error={error} onSubmit={(patch) => act('room.configured', { config: patch })} /> : <p className="text-sm text-muted">Loading the room …</p>}
      </section>
      <InvitesPanel />
    </section>
  )
}
