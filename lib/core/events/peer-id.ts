/**
 * libp2p peer ids for Ed25519 keys, without libp2p: an Ed25519 peer id is the base58btc
 * encoding (no multibase prefix) of an identity multihash over the protobuf `PublicKey`
 * message `{ Type: Ed25519 (1), Data: 32 bytes }`.
 * Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md
 */
import { base58btc } from 'multiformats/bases/base58'
import type { PeerId } from '../ids'

/** protobuf: field 1 varint = 1 (Ed25519), field 2 bytes of length 32. */
const KEY_PREFIX = Uint8Array.of(0x08, 0x01, 0x12, 0x20)
/** identity multihash (code 0x00) of the 36-byte protobuf key. */
const MULTIHASH_PREFIX = Uint8Array.of(0x00, 0x24)
const PEER_ID_BYTES = MULTIHASH_PREFIX.length + KEY_PREFIX.length + 32

/** The libp2p peer id string of a raw 32-byte Ed25519 public key. */
export function peerIdFromEd25519PublicKey(publicKey: Uint8Array): PeerId {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key has 32 bytes')
  const bytes = new Uint8Array(PEER_ID_BYTES)
  bytes.set(MULTIHASH_PREFIX, 0)
  bytes.set(KEY_PREFIX, MULTIHASH_PREFIX.length)
  bytes.set(publicKey, MULTIHASH_PREFIX.length + KEY_PREFIX.length)
  // base58btc.encode adds the multibase prefix 'z'; libp2p peer ids are written without it.
  return base58btc.encode(bytes).slice(1) as PeerId
}

/** The raw Ed25519 public key embedded in a peer id, or null if it is not an Ed25519 peer id. */
export function ed25519PublicKeyFromPeerId(peerId: string): Uint8Array | null {
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode('z' + peerId)
  } catch {
    return null
  }
  if (bytes.length !== PEER_ID_BYTES) return null
  const prefix = [...MULTIHASH_PREFIX, ...KEY_PREFIX]
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return null
  return bytes.slice(prefix.length)
}

/** True if the string is a well-formed Ed25519 libp2p peer id. */
export const isEd25519PeerId = (s: string): s is PeerId => ed25519PublicKeyFromPeerId(s) !== null
