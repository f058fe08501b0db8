'use client'
/**
 * `/join#invite=…`: redeems an invite with a `member.joined` signed by this tab. The invite
 * travels in the fragment, so it never reaches any server; it is removed from the address bar
 * once read. An invite for a role this tab's identity cannot take any more is redeemed by a new
 * identity (see components/mesh/invite-flow.ts).
 */
import Link from 'next/link'
import { useContext, useEffect, useState } from 'react'
import { InviteContext } from '@/components/mesh/MeshProvider'
import { inviteFromHash } from '@/components/mesh/invite-flow'
import { useMesh } from '@/components/mesh/use-mesh'

export function JoinView() {
  const invites = useContext(InviteContext)
  const phase = useMesh((s) => s.invite)
  const [text, setText] = useState('')

  useEffect(() => {
    const invite = inviteFromHash(location.hash)
    if (invite == null) return
    history.replaceState(null, '', '/join')
    invites?.redeem(invite)
  }, [invites])

  return (
    <section className="max-w-xl space-y-4">
      <h1 className="text-xl font-semibold">Join the room</h1>
      {phase == null && (
        <form
          className="space-y-2"
          aria-label="Paste an invite"
          onSubmit={(e) => {
            e.preventDefault()
            const invite = inviteFromHash(text.slice(text.indexOf('#') + 1)) ?? text.trim()
            if (invite) invites?.redeem(invite)
          }}
        >
          <p className="text-sm text-muted">
            Open the invite link you were given (it looks like <code>/join#invite=…</code>), or paste it here. The room's owner prints
            one when the relay starts.
          </p>
          <label className="block text-sm">Invite link
            <input className="field mt-0.5 block w-full" value={text} onChange={(e) => setText(e.target.value)} data-testid="invite-input" />
          </label>
          <button type="submit" className="btn-primary" disabled={!text.trim()}>Join</button>
        </form>
      )}
      {phase?.kind === 'joining' && <p role="status" data-testid="join-status">Joining … (waiting for the room to arrive from the mesh)</p>}
      {phase?.kind === 'switching' && (
        <p role="status" data-testid="join-status">
          This browser was a {phase.from || 'member'} here; joining as {phase.to || 'the invite’s role'} with a new identity …
        </p>
      )}
      {phase?.kind === 'joined' && (
        <p role="status" data-testid="join-status" data-role={phase.role}>
          {phase.before ? 'You are already a member' : 'You joined'} as <strong>{phase.role}</strong>.{' '}
          <Link className="underline" href="/">Go to the room</Link>
        </p>
      )}
      {phase?.kind === 'choose' && (
        <div role="status" data-testid="join-status" data-role={phase.have} className="space-y-2">
          <p>
            You are already a member as <strong>{phase.have}</strong>; this invite is for <strong>{phase.want}</strong>. Taking it
            means a new identity in this browser (your {phase.have} identity leaves the room).
          </p>
          <div className="flex gap-2">
            <button type="button" className="btn-primary" onClick={() => invites?.switchIdentity()}>Join as {phase.want}</button>
            <Link className="btn" href="/">Stay {phase.have}</Link>
          </div>
        </div>
      )}
      {phase?.kind === 'failed' && (
        <p role="alert" data-testid="join-status" className="text-rose-700 dark:text-rose-300">
          Could not join: {phase.message}
        </p>
      )}
    </section>
  )
}
