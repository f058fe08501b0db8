'use client'
/**
 * `/join#invite=…`: redeems an invite with a `member.joined` signed by this tab. The invite
 * travels in the fragment, so it never reaches any server; it is removed from the address bar
 * once read.
 */
import Link from 'next/link'
import { useEffect, useRef, useState } from 'react'
import { useMesh } from '@/components/mesh/use-mesh'

type Phase = { kind: 'idle' } | { kind: 'joining' } | { kind: 'joined'; role: string; before: boolean } | { kind: 'failed'; message: string }

export function JoinView() {
  const mesh = useMesh((s) => s.mesh)
  const [invite, setInvite] = useState<string | undefined>()
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const tried = useRef(false)

  useEffect(() => {
    const text = new URLSearchParams(location.hash.slice(1)).get('invite')
    if (text != null && text !== '') {
      setInvite(text)
      history.replaceState(null, '', '/join')
    }
  }, [])

  useEffect(() => {
    if (mesh == null || invite == null || tried.current) return
    tried.current = true
    setPhase({ kind: 'joining' })
    mesh
      .join(invite)
      .then((o) =>
        setPhase(o.status === 'member' ? { kind: 'joined', role: o.role, before: !o.joinedNow } : { kind: 'failed', message: o.reason }),
      )
      .catch((err: Error) => setPhase({ kind: 'failed', message: err.message }))
  }, [mesh, invite])

  return (
    <section className="max-w-xl space-y-4">
      <h1 className="text-xl font-semibold">Join the room</h1>
      {invite == null && phase.kind === 'idle' && (
        <p className="text-sm text-zinc-500">
          Open the invite link you were given (it looks like <code>/join#invite=…</code>). The room's owner prints one when
          the relay starts.
        </p>
      )}
      {phase.kind === 'joining' && <p data-testid="join-status">Joining … (waiting for the room to arrive from the mesh)</p>}
      {phase.kind === 'joined' && (
        <p data-testid="join-status" data-role={phase.role}>
          {phase.before ? 'You are already a member' : 'You joined'} as <strong>{phase.role}</strong>.{' '}
          <Link className="underline" href="/">Go to the room</Link>
        </p>
      )}
      {phase.kind === 'failed' && (
        <p role="alert" data-testid="join-status" className="text-rose-700 dark:text-rose-300">
          Could not join: {phase.message}
        </p>
      )}
    </section>
  )
}
