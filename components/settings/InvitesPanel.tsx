'use client'
/**
 * `/settings` → Invites: an admin makes an invite as a link (for a person) or an agent token,
 * sees every invite of the room with its uses left, and revokes one. The tab signs the invite
 * itself and records it with `invite.issued`, so `chorus-mesh invite list` and every other
 * admin see the same list; the invite text is shown once, here, and never stored.
 */
import { useState } from 'react'
import { INVITE_ROLES } from '@/lib/core/events/kinds/invite'
import { asPeerId } from '@/lib/core/ids'
import { selectInvites } from '@/lib/core/state/select-invites'
import { mayRevokeInvite } from '@/lib/net/invites'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRoom } from '@/components/mesh/use-room'
import { describeError } from '@/components/session/errors'
import { useAct } from '@/components/session/use-act'
import { useActor } from '@/components/session/use-actor'
import { peerName } from '@/components/session/names'
import { EXPIRY_CHOICES, agentCommand, inviteLink, parseInviteForm, usesText } from './invites'

const appBase = () => location.origin + (process.env.NEXT_PUBLIC_CHORUS_BASE_PATH ?? '')

function CreateInvite() {
  const mesh = useMesh((s) => s.mesh)
  const [form, setForm] = useState<'link' | 'token'>('link')
  const [role, setRole] = useState('reviewer')
  const [uses, setUses] = useState('1')
  const [expiresMs, setExpiresMs] = useState<number>(EXPIRY_CHOICES[1].ms)
  const [label, setLabel] = useState('')
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [made, setMade] = useState<{ form: 'link' | 'token'; role: string; text: string } | null>(null)
  const [copied, setCopied] = useState(false)
  const shown = made == null ? '' : made.form === 'link' ? inviteLink(appBase(), made.text) : made.text
  return (
    <div className="space-y-3">
      <form aria-label="New invite" className="grid max-w-xl gap-2" onSubmit={async (e) => {
        e.preventDefault()
        const r = parseInviteForm({ role, uses, expiresMs })
        if (!r.ok) return setError(r.error)
        if (mesh == null) return setError('This tab is not connected to the mesh yet; wait a moment and retry.')
        setPending(true)
        setError(null)
        setCopied(false)
        try {
          const text = await mesh.issueInvite({ role: r.role, maxUses: r.maxUses, ttlMs: r.ttlMs, label: label.trim() || undefined })
          setMade({ form, role: r.role, text })
          setLabel('')
        } catch (err) {
          setError(describeError(err))
        } finally {
          setPending(false)
        }
      }}>
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 text-sm">Give it as</legend>
          <label className="flex items-center gap-1"><input type="radio" name="invite-form" checked={form === 'link'} onChange={() => (setForm('link'), setRole('reviewer'))} /> a link, for a person</label>
          <label className="flex items-center gap-1"><input type="radio" name="invite-form" checked={form === 'token'} onChange={() => (setForm('token'), setRole('agent'))} data-testid="invite-as-token" /> a token, for an agent</label>
        </fieldset>
        <label className="grid grid-cols-[1fr_12rem] items-center gap-2 text-sm">Role
          <select className="field" value={role} onChange={(e) => setRole(e.target.value)} data-testid="invite-role">
            {INVITE_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label className="grid grid-cols-[1fr_12rem] items-center gap-2 text-sm">Uses
          <input className="field" inputMode="numeric" value={uses} onChange={(e) => setUses(e.target.value)} data-testid="invite-uses" />
        </label>
        <label className="grid grid-cols-[1fr_12rem] items-center gap-2 text-sm">Expires after
          <select className="field" value={expiresMs} onChange={(e) => setExpiresMs(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((c) => <option key={c.ms} value={c.ms}>{c.label}</option>)}
          </select>
        </label>
        <label className="grid grid-cols-[1fr_12rem] items-center gap-2 text-sm">Label (optional)
          <input className="field" maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. CI runners" />
        </label>
        <div><button type="submit" className="btn-primary" disabled={pending} data-testid="invite-create">Create invite</button></div>
        {error && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error}</p>}
      </form>
      {made && (
        <div className="max-w-xl space-y-1 rounded border border-emerald-700/40 p-3 text-sm" role="status">
          <p>{made.form === 'link' ? `Anyone who opens this link joins as ${made.role}` : `An agent started with this token joins as ${made.role}`}. It is shown only now: share it privately.</p>
          <div className="flex gap-2">
            <input readOnly className="field w-full font-mono text-xs" aria-label={made.form === 'link' ? 'New invite link' : 'New agent token'} value={shown} data-testid="invite-made" onFocus={(e) => e.target.select()} />
            <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(shown).then(() => setCopied(true))}>{copied ? 'copied' : 'copy'}</button>
          </div>
          {made.form === 'token' && <p className="text-muted">On the agent’s machine, in a clone of Chorus Mesh: <code className="break-all font-mono text-xs">{agentCommand(appBase(), made.text)}</code></p>}
        </div>
      )}
    </div>
  )
}

function InviteList() {
  const state = useRoom((s) => s)
  const actor = useActor()
  const { act, pending, error } = useAct()
  const [now] = useState(() => Date.now())
  if (state == null) return <p className="text-sm text-muted">Loading the room …</p>
  const invites = selectInvites(state, Math.max(now, state.lastTime))
  if (invites.length === 0) return <p className="text-sm text-muted" data-testid="invites-empty">No invites in this room’s log yet.</p>
  return (
    <div className="space-y-2">
      <table className="w-full max-w-3xl text-left text-sm" data-testid="invites-table">
        <caption className="sr-only">Invites of this room</caption>
        <thead><tr><th scope="col">Role</th><th scope="col">Label</th><th scope="col">Issued by</th><th scope="col">Uses</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
        <tbody>
          {invites.map((v) => {
            const may = actor.peerId != null && actor.role != null && mayRevokeInvite(state, actor.peerId, v)
            return (
              <tr key={`${v.issuer}/${v.nonce}`} data-testid="invite-row" data-nonce={v.nonce} data-status={v.status} data-left={v.left ?? ''}>
                <td>{v.role ?? '?'}</td>
                <td>{v.label ?? ''}</td>
                <td>{peerName(state, asPeerId(v.issuer))}</td>
                <td>{usesText(v)}</td>
                <td>{v.expires != null ? new Date(v.expires).toLocaleDateString() : '?'}</td>
                <td>{v.status}</td>
                <td>{v.status !== 'revoked' && may && (
                  <button type="button" className="btn" disabled={pending} aria-label={`Revoke ${v.role ?? ''} invite ${v.label ?? v.nonce}`}
                    onClick={() => void act('invite.revoked', { issuer: asPeerId(v.issuer), nonce: v.nonce })}>Revoke</button>
                )}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {error && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error}</p>}
    </div>
  )
}

/** The Invites section of the settings page. */
export function InvitesPanel() {
  const actor = useActor()
  const admin = actor.role === 'admin' || actor.role === 'owner'
  return (
    <section aria-labelledby="invites-title" className="space-y-3">
      <h2 id="invites-title" className="font-semibold">Invites</h2>
      {admin ? <CreateInvite /> : <p className="text-sm text-muted" data-testid="invites-not-admin">Admins make and revoke invites{actor.role ? `; your role is ${actor.role}` : '; join as an admin to make one'}.</p>}
      <InviteList />
    </section>
  )
}
