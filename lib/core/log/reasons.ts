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
  | { status: 'accepted'; id: EventId }
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
