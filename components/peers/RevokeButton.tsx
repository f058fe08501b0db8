'use client'
/** Lets the owner or an admin revoke a member from `/peers` (a signed `member.revoked`). */
import { useState } from 'react'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRoom } from '@/components/mesh/use-room'
import { asPeerId } from '@/lib/core/ids'

export function RevokeButton({ peerId, name }: { peerId: string; name: string }) {
  const mesh = useMesh((s) => s.mesh)
  const me = useMesh((s) => s.membership)
  const target = useRoom((s) => s.members.get(asPeerId(peerId)))
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false })
  const myRole = me?.status === 'member' ? me.role : undefined
  if (mesh == null || target == null || target.left) return null
  const allowed = target.role !== 'owner' && (myRole === 'owner' || (myRole === 'admin' && target.role !== 'admin'))
  if (!allowed) return null
  const revoke = async () => {
    if (!window.confirm(`Revoke ${name}? Their events will count for nothing from now on, and this cannot be undone.`)) return
    setState({ busy: true })
    try {
      await mesh.author('member.revoked', { member: peerId, reason: `revoked from /peers by ${mesh.peerId.slice(-6)}` })
      setState({ busy: false })
    } catch (err) {
      setState({ busy: false, error: (err as Error).message })
    }
  }
  return (
    <span className="inline-flex items-center gap-1">
      <button
        type="button"
        disabled={state.busy}
        onClick={() => void revoke()}
        className="rounded border border-rose-300 px-1.5 py-0.5 text-xs text-rose-700 hover:bg-rose-50 disabled:opacity-50 dark:border-rose-800 dark:text-rose-300 dark:hover:bg-rose-950"
      >
        revoke
      </button>
      {state.error != null && <span role="alert" className="text-xs text-rose-700">{state.error}</span>}
    </span>
  )
}
