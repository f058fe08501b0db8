'use client'
/**
 * Signs and publishes one human action through this tab's mesh handle, and keeps what went
 * wrong in words a reviewer understands. The caller clears its form only when `act` resolves
 * true, so a refused action never loses what the user typed.
 */
import { useCallback, useState } from 'react'
import type { EventKind, PayloadInput } from '@/lib/core/events/kinds'
import { useMesh } from '@/components/mesh/use-mesh'
import { describeError } from './errors'

export interface ActState {
  pending: boolean
  error: string | null
  /** Sign and publish; resolves true once stored, false (with `error` set) if refused. */
  act<K extends EventKind>(kind: K, payload: PayloadInput<K>): Promise<boolean>
  clearError(): void
}

/** One action channel: pending flag, last error, and `act`. */
export function useAct(): ActState {
  const mesh = useMesh((s) => s.mesh)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const act = useCallback(
    async <K extends EventKind>(kind: K, payload: PayloadInput<K>): Promise<boolean> => {
      if (mesh == null) {
        setError('This tab is not connected to the mesh yet; wait a moment and retry.')
        return false
      }
      setPending(true)
      setError(null)
      try {
        await mesh.author(kind, payload)
        return true
      } catch (err) {
        setError(describeError(err))
        return false
      } finally {
        setPending(false)
      }
    },
    [mesh],
  )
  return { pending, error, act, clearError: useCallback(() => setError(null), []) }
}
