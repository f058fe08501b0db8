/**
 * A tab's gossipsub message ids: the ids of `meshMessageId` (message-id.ts: an event's id is the
 * SHA-256 of its bytes, any other message's is that digest and the second it is seen in), made
 * with the tab's synchronous WebAssembly SHA-256 instead of a WebCrypto digest, which is a
 * promise and a trip to another thread per message. A received event's bytes are then hashed
 * again by the log for its own id (the same digest of the same bytes): the digest made for the
 * message id is kept, by those bytes, for the log's hash to take instead.
 */
import type { Message } from '@libp2p/gossipsub'
import { idIsLocal } from './message-id'
import type { SyncSha256 } from './wasm-sha256'

/** The window of a local id (`meshMessageId`'s): copies seen within one second are one message. */
const WINDOW_MS = 1000

export interface TabMessageIds {
  /** gossipsub's `msgIdFn`. */
  msgIdFn: (msg: Message) => Uint8Array
  /** The log's hash (`EventLogInit.sha256`): the digest of bytes whose message id was just made, else `sha256`. */
  sha256: SyncSha256
}

/** See the module comment; `now` is injectable for tests. */
export function tabMessageIds(sha256: SyncSha256, now: () => number = Date.now): TabMessageIds {
  // Held as long as gossipsub's message (and the bytes it hands the validator) lives, no longer.
  const digests = new WeakMap<Uint8Array, Uint8Array>()
  return {
    msgIdFn(msg) {
      const digest = sha256(msg.data)
      if (!idIsLocal(msg.topic)) {
        digests.set(msg.data, digest)
        return digest
      }
      const id = new Uint8Array(digest.byteLength + 8)
      id.set(digest)
      new DataView(id.buffer).setFloat64(digest.byteLength, Math.floor(now() / WINDOW_MS))
      return id
    },
    sha256: (bytes) => digests.get(bytes) ?? sha256(bytes),
  }
}
