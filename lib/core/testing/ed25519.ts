/**
 * A pure Ed25519 signer/verifier for tests, producing real libp2p-format peer ids so that
 * tests look like production. Uses @noble/curves (a devDependency): never import from
 * non-test code.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { PeerId } from '../ids'
import { ed25519PublicKeyFromPeerId, peerIdFromEd25519PublicKey } from '../events/peer-id'
import type { Signer, Verifier } from '../events/signer'

/** A test signer whose key is derived from a name, so fixtures are reproducible. */
export function testSigner(name: string): Signer & { publicKey: Uint8Array } {
  const secretKey = sha256(new TextEncoder().encode(`chorus-mesh test key: ${name}`))
  const publicKey = ed25519.getPublicKey(secretKey)
  const peerId = peerIdFromEd25519PublicKey(publicKey)
  return { peerId, publicKey, sign: (bytes: Uint8Array) => ed25519.sign(bytes, secretKey) }
}

/** A verifier that reads the public key out of the Ed25519 peer id. */
export const testVerifier: Verifier = {
  verify(peerId: PeerId, bytes: Uint8Array, sig: Uint8Array): boolean {
    const publicKey = ed25519PublicKeyFromPeerId(peerId)
    if (publicKey === null || sig.length !== 64) return false
    try {
      return ed25519.verify(sig, bytes, publicKey)
    } catch {
      return false
    }
  },
}
