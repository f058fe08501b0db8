/**
 * Signing is injected: production passes libp2p Ed25519 keys, tests pass the pure signer in
 * lib/core/testing. The core never holds a private key itself.
 */
import type { PeerId } from '../ids'

/** Signs bytes as one peer. */
export interface Signer {
  readonly peerId: PeerId
  sign(bytes: Uint8Array): Promise<Uint8Array> | Uint8Array
}

/** Checks that `sig` is `peerId`'s signature over `bytes`. Must not throw on bad input. */
export interface Verifier {
  verify(peerId: PeerId, bytes: Uint8Array, sig: Uint8Array): Promise<boolean> | boolean
}
