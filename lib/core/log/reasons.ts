/** Outcomes of adding an event to the log, and the typed rejection reasons. */
import type { EventId } from '../ids'

export const REJECT_REASONS = [
  'malformed',
  'bad_signature',
  'wrong_room',
  'oversized',
  'not_member',
  'role_not_allowed',
  'invalid_invite',
  'derived_unverified',
  'clock_ahead',
  /** A second event at an author's (seq): kept as evidence; the author is quarantined. */
  'equivocation',
  /** The pending buffer (or the author's share of it) is full; retry after its refs arrive. */
  'pending_overflow',
] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

export type AddResult =
  /** `inert`: stored, but its author was cut off before it (ADR 0065): it has no effect. */
  | { status: 'accepted'; id: EventId; inert?: true }
  | { status: 'duplicate'; id: EventId }
  | { status: 'pending'; id: EventId; missing: EventId[] }
  | { status: 'rejected'; reason: RejectReason; detail: string; id?: EventId }

/** Thrown by local authoring when the log refuses the author's own event (a local bug). */
export class EventRejectedError extends Error {
  static override name = 'EventRejectedError'
  constructor(
    readonly reason: RejectReason | 'pending',
    detail: string,
  ) {
    super(`${reason}: ${detail}`)
  }
}

/** What a gossipsub topic validator should answer for an add result. */
export type GossipVerdict = 'accept' | 'ignore' | 'reject'

/**
 * Map an add result to a gossip verdict. Equivocation is forwarded: it is evidence every peer
 * needs (ADR 0007). Transient refusals (clock ahead, buffer full) and duplicates are ignored,
 * not punished; pending events are not forwarded until they are valid.
 */
export function gossipVerdict(r: AddResult): GossipVerdict {
  // An inert event is valid, but honest peers do not spread a revoked member's new events.
  if (r.status === 'accepted') return r.inert ? 'ignore' : 'accept'
  if (r.status !== 'rejected') return 'ignore'
  if (r.reason === 'equivocation') return 'accept'
  return r.reason === 'clock_ahead' || r.reason === 'pending_overflow' ? 'ignore' : 'reject'
}
