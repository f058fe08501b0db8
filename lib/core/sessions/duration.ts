/**
 * When a session's duration clock starts (ADR 0065): the later of its activating event's time
 * and the first time someone other than the activating author acted in it. A member whose
 * clock lags (or who backdates on purpose) cannot make a session look old: the other
 * participant's first event bounds the start from above with a clock it does not control.
 */
import type { SessionState } from '../state/types'

/** The start of the duration clock, or null while nobody else has acted in the session. */
export const durationStart = (s: Pick<SessionState, 'activeSince' | 'witnessedAt'>): number | null =>
  s.witnessedAt === null ? null : Math.max(s.activeSince, s.witnessedAt)
