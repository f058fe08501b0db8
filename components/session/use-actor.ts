'use client'
import { useMesh } from '@/components/mesh/use-mesh'
import type { Actor } from './permissions'

/** This tab as an actor: its peer id and its role, or a guest. */
export function useActor(): Actor {
  const membership = useMesh((s) => s.membership)
  const peerId = useMesh((s) => s.mesh?.peerId ?? s.self?.peerId)
  return { peerId, role: membership?.status === 'member' ? membership.role : null }
}
