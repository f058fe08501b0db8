/**
 * Branded identifiers. A plain string cannot be passed where an EventId or PeerId is
 * expected without going through a parser, so ids of different kinds never mix.
 */
export type EventId = string & { readonly __eventId: true }
export type PeerId = string & { readonly __peerId: true }
/** A room id is the id of its genesis (`room.created`) event. */
export type RoomId = EventId
export type SessionId = string & { readonly __sessionId: true }

/** Brand a string already known to be a CID string of an event (trusted callers only). */
export const asEventId = (s: string): EventId => s as EventId
/** Brand a string already known to be a libp2p peer id (trusted callers only). */
export const asPeerId = (s: string): PeerId => s as PeerId
/** Brand a string already known to be a session id (trusted callers only). */
export const asSessionId = (s: string): SessionId => s as SessionId
