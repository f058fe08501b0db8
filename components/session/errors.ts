/** Authoring failures in words a reviewer can act on. */

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
