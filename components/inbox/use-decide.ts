'use client'
/**
 * Turns a reviewer's choice in the review dialog into a pending decision: signed and published
 * when its undo window ends, after checking again that it still makes sense (another reviewer
 * may have decided meanwhile), so a late decision is reported instead of silently ignored.
 */
import { useCallback, useContext } from 'react'
import type { Plan } from '@/lib/core/planner/plan'
import type { RoomState } from '@/lib/core/state/types'
import { MeshStoreContext, RoomStoreContext } from '@/components/mesh/MeshProvider'
import { availability, type HumanAction } from '@/components/session/permissions'
import { describeError } from '@/components/session/errors'
import { peerName, taskTitle } from '@/components/session/names'
import { useUiDecisions } from '@/components/ui/UiProvider'

/** What the reviewer decided, with its text. */
export type Choice =
  | { action: 'approve' }
  | { action: 'edit'; plan: Plan }
  | { action: 'resolve'; decision: string; note?: string }
  | { action: 'return'; guidance: string }

/** "Approved plan v2", "Resolved: “Use opaque tokens”" … for the undo toast. */
export function describeChoice(s: RoomState, session: string, c: Choice): string {
  const x = s.sessions.get(session as never)
  const what = x ? x.tasks.map((t) => taskTitle(s, t)).join(' ↔ ') : session
  const v = x?.plans.length ?? 0
  switch (c.action) {
    case 'approve':
      return `Approve plan v${v} of ${what}`
    case 'edit':
      return `Save plan v${v + 1} of ${what}`
    case 'resolve':
      return `Resolve ${what}: “${c.decision}”`
    case 'return':
      return `Return ${what} to the agents: “${c.guidance}”`
  }
}

/** `decide(session, choice)` queues the decision; it returns the pending decision's id. */
export function useDecide(): (session: string, c: Choice) => string | null {
  const meshStore = useContext(MeshStoreContext)
  const roomStore = useContext(RoomStoreContext)
  const schedule = useUiDecisions((s) => s.schedule)
  return useCallback(
    (session: string, c: Choice) => {
      const state = roomStore?.getState().state
      if (!meshStore || !state) return null
      const send = async (): Promise<string | null> => {
        const mesh = meshStore.getState()
        const now = roomStore?.getState().state
        const x = now?.sessions.get(session as never)
        if (!mesh.mesh || !now || !x) return 'This tab is not connected to the mesh; nothing was sent.'
        const actor = { peerId: mesh.mesh.peerId, role: mesh.membership?.status === 'member' ? mesh.membership.role : null }
        const a = availability(c.action as HumanAction, x, actor, (p) => peerName(now, p))
        if (!a.ok) return `Not sent: ${a.reason}`
        const version = x.plans.length
        try {
          if (c.action === 'approve') await mesh.mesh.author('plan.approved', { session, version })
          else if (c.action === 'edit') await mesh.mesh.author('plan.edited', { session, version: version + 1, plan: c.plan })
          else if (c.action === 'resolve') await mesh.mesh.author('escalation.resolved', { session, decision: c.decision, ...(c.note ? { note: c.note } : {}) })
          else await mesh.mesh.author('escalation.returned', { session, guidance: c.guidance })
          return null
        } catch (err) {
          return describeError(err)
        }
      }
      return schedule({ session, label: describeChoice(state, session, c), send })
    },
    [meshStore, roomStore, schedule],
  )
}
