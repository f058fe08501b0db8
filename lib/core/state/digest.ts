/**
 * A canonical hash of the folded state, for convergence tests and the UI ("all tabs show the
 * same digest"). Maps are written as entry lists sorted by key so insertion order never leaks.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { encodeCanonical } from '../events/codec'
import type { RoomState } from './types'

function canonical(value: unknown): unknown {
  if (value instanceof Map) {
    return [...value.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)).map(([k, v]) => [k, canonical(v)])
  }
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]))
  }
  return value
}

/** Hex sha-256 of the canonical encoding of the state. */
export function stateDigest(state: RoomState): string {
  // The link index is derived from `dependencies`: left out, so replicas of versions with and
  // without it give the same digest for the same room.
  const { links: _derived, ...folded } = state
  return bytesToHex(sha256(encodeCanonical(canonical(folded))))
}
