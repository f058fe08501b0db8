/** What the log keeps per event, and the read-only view admission checks run against. */
import type { AnyEvent, EncodedEvent } from '../events/envelope'
import type { Role } from '../events/kinds/common'
import type { EventId, RoomId } from '../ids'

export interface StoredEvent extends EncodedEvent {
  /** The author's role after this event, following the author's own hash chain. */
  roleAfter: Role | null
}

/** Read access to stored events by id. */
export interface LogView {
  readonly room: RoomId
  get(id: EventId): StoredEvent | undefined
}

/** A stored event of one kind, or undefined. */
export function getKind<K extends AnyEvent['kind']>(
  view: LogView,
  id: EventId,
  kind: K,
): (StoredEvent & { event: Extract<AnyEvent, { kind: K }> }) | undefined {
  const s = view.get(id)
  return s && s.event.kind === kind ? (s as StoredEvent & { event: Extract<AnyEvent, { kind: K }> }) : undefined
}
