/**
 * Who counts as live for the agent's duties (ADR 0070): a member presence sees as `alive` or
 * `suspect`. A suspect has only missed a few beats — under load beats arrive late — and
 * treating it as dead would elect another emitter or primary on every late beat, each writing
 * a copy. A peer that really died is passed by the grace period until presence calls it dead.
 * A member not heard from yet counts as live only while this agent warms up (a few beats), so a
 * fresh agent does not usurp a role it has not heard its holder in yet, and a member gone for
 * good does not hold anything up for long.
 */
import type { PresenceStatus } from '../../core/presence/tracker'

/** What liveness reads from presence. */
export interface PresenceLookup {
  status(peerId: string): PresenceStatus | undefined
}

/** A liveness test for duties; `warmUpMs` from now on, unknown members count as live. */
export function dutyLiveness(presence: PresenceLookup, warmUpMs: number, now: () => number = Date.now): (peer: string) => boolean {
  const startedAt = now()
  return (peer) => {
    const status = presence.status(peer)
    if (status != null) return status === 'alive' || status === 'suspect'
    return now() - startedAt < warmUpMs
  }
}
