/**
 * The core's injected Signer/Verifier backed by libp2p Ed25519 keys: the same key that
 * identifies a peer on the mesh signs its events, so `author` is its libp2p peer id. libp2p's
 * crypto uses WebCrypto / node:crypto where available, far faster than pure JS.
 */
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import type { Signer, Verifier } from '../core/events/signer'
import { asPeerId, type PeerId } from '../core/ids'

/** Signs as the peer that owns `key`. */
export function libp2pSigner(key: PrivateKey): Signer {
  const peerId = asPeerId(peerIdFromPrivateKey(key).toString())
  return { peerId, sign: (bytes) => key.sign(bytes) }
}

const MAX_CACHED = 10_000

/** Verifies with the public key embedded in an Ed25519 peer id; false for anything else. */
export function libp2pVerifier(): Verifier {
  const keys = new Map<string, PublicKey | null>()
  const keyOf = (peerId: PeerId): PublicKey | null => {
    let key = keys.get(peerId)
    if (key === undefined) {
      try {
        key = peerIdFromString(peerId).publicKey ?? null
      } catch {
        key = null
      }
      if (keys.size >= MAX_CACHED) keys.clear()
      keys.set(peerId, key)
    }
    return key
  }
  return {
    async verify(peerId, bytes, sig) {
      const key = keyOf(peerId)
      if (key == null || key.type !== 'Ed25519') return false
      try {
        return await key.verify(bytes, sig)
      } catch {
        return false
      }
    },
  }
}
