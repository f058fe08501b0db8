'use client'
/** The human actions on one session, with their availability, shared by the inbox and the session page. */
import type { Plan } from '@/lib/core/planner/plan'
import type { RoomState, SessionState } from '@/lib/core/state/types'
import { availability, type Availability, type HumanAction } from './permissions'
import { peerName } from './names'
import { useAct } from './use-act'
import { useActor } from './use-actor'

const LOADING: Availability = { ok: false, reason: 'The room is still loading.' }

/** Actions bound to `session`; each resolves true once its signed event is stored. */
export function useSessionActions(state: RoomState | undefined, session: SessionState | undefined) {
  const actor = useActor()
  const { act, pending, error, clearError } = useAct()
  const avail = (a: HumanAction): Availability => (session ? availability(a, session, actor, (p) => peerName(state, p)) : LOADING)
  const id = session?.id ?? ''
  const version = session?.plans.length ?? 0
  const guard = (a: HumanAction, run: () => Promise<boolean>) => (avail(a).ok ? run() : Promise.resolve(false))
  return {
    actor,
    pending,
    error,
    clearError,
    avail,
    approve: () => guard('approve', () => act('plan.approved', { session: id, version })),
    claim: () => guard('claim', () => act('escalation.claimed', { session: id })),
    release: () => guard('release', () => act('escalation.claimed', { session: id, release: true })),
    edit: (plan: Plan, note?: string) => guard('edit', () => act('plan.edited', { session: id, version: version + 1, plan, ...(note ? { note } : {}) })),
    resolve: (decision: string, note?: string) => guard('resolve', () => act('escalation.resolved', { session: id, decision, ...(note ? { note } : {}) })),
    giveBack: (guidance: string) => guard('return', () => act('escalation.returned', { session: id, guidance })),
  }
}

/** The value `useSessionActions` returns. */
export type SessionActions = ReturnType<typeof useSessionActions>
