/**
 * Gossipsub message ids for a room whose messages carry no libp2p signature (ADR 0075).
 *
 * An event is signed by its author and named by its content, so its message id is the SHA-256
 * of its bytes: the same event published or forwarded by two peers is one message, and the
 * seen-cache drops every later copy before any validation. Other topics repeat identical
 * bytes on purpose (a discovery announcement is the same record every interval), so their id
 * is the content plus the second it is seen in: copies of one announcement collapse, the next
 * announcement is a new message, and a copy that crosses a second's edge is at worst delivered
 * twice, never circulated.
 */
import type { Message } from '@libp2p/gossipsub'
import { sha256 } from 'multiformats/hashes/sha2'
import { PROTOCOL_PREFIX } from './topics'

const WINDOW_MS = 1000

/** True for any room's events topic (`eventsTopic`). */
const isEventsTopic = (topic: string): boolean => topic.startsWith(`${PROTOCOL_PREFIX}/`) && topic.endsWith('/events')

/**
 * True if a message's id on `topic` depends on when the peer saw it (every topic but events):
 * two peers name the same message differently, so such an id cannot be advertised or asked
 * for across peers (local-ids.ts).
 */
export const idIsLocal = (topic: string): boolean => !isEventsTopic(topic)

/** The `msgIdFn` of every peer's gossipsub (see the module comment); `now` is injectable for tests. */
export function meshMessageId(now: () => number = Date.now): (msg: Message) => Promise<Uint8Array> {
  return async (msg) => {
    const digest = await sha256.encode(msg.data)
    if (!idIsLocal(msg.topic)) return digest
    const id = new Uint8Array(digest.byteLength + 8)
    id.set(digest)
    new DataView(id.buffer).setFloat64(digest.byteLength, Math.floor(now() / WINDOW_MS))
    return id
  }
}
