'use client'
/**
 * Renaming this tab's person: the name is kept with the identity and sent with presence, and a
 * member also signs `member.renamed`, so the member list and every session's history show it.
 */
import { useState } from 'react'
import { useMesh } from '@/components/mesh/use-mesh'
import { describeError } from '@/components/session/errors'

/** `rename(name)` resolves true when saved; `error` says why not. */
export function useRename(): { rename(name: string): Promise<boolean>; error: string | null; pending: boolean } {
  const mesh = useMesh((s) => s.mesh)
  const member = useMesh((s) => s.membership?.status === 'member')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  return {
    error,
    pending,
    async rename(raw) {
      const name = raw.trim()
      if (!name || name.length > 200) return setError('A name has 1 to 200 characters.'), false
      if (!mesh) return setError('This tab is not connected to the mesh yet.'), false
      setPending(true)
      try {
        await mesh.setDisplayName(name)
        if (member) await mesh.author('member.renamed', { displayName: name })
        setError(null)
        return true
      } catch (err) {
        setError(describeError(err))
        return false
      } finally {
        setPending(false)
      }
    },
  }
}
