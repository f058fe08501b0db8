'use client'
/**
 * Signs and publishes one human action through this tab's mesh handle, and keeps what went
 * wrong in words a reviewer understands. The caller clears its form only when `act` resolves
 * true, so a refused action never loses what the user typed.
 */
import { useCallback, useState } from 'react'
import type { EventKind, PayloadInput } from '@/lib/core/events/kinds'
import { useMesh } from '@/components/mesh/use-mesh'

const REASONS: Record<string, string> = {
  not_member: 'the room does not count this tab as a member (join with an invite first)',
  role_not_allowed: 'your role is not allowed to do this',
  malformed: 'the event did not pass validation',
  oversized: 'the text is too long for one event (64 KiB)',
  clock_ahead: "this computer's clock is ahead of the room's; fix the clock and retry",
  pending: 'the event refers to something this tab has not received yet; retry in a moment',
  pending_overflow: 'too many events are waiting for references; retry in a moment',
}

/** Turns a thrown authoring error into a sentence. */
export function describeError(err: unknown): string {
  const reason = (err as { reason?: unknown })?.reason
  const message = err instanceof Error ? err.message : String(err)
  if (typeof reason === 'string') return `Refused: ${REASONS[reason] ?? reason} (${message})`
  return `Failed: ${message}`
}

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
