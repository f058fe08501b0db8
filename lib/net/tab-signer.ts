/**
 * A tab's event signer: WebCrypto Ed25519 with the identity's key imported once. libp2p's
 * browser `sign` imports the key from JWK on every call, which sits on every authored event's
 * path to its publish; where WebCrypto lacks Ed25519 this falls back to libp2p's own sign.
 */
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Signer } from '../core/events/signer'
import { asPeerId } from '../core/ids'

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** A Signer for `key` that keeps one non-extractable WebCrypto key (see the module comment). */
export function webCryptoSigner(key: PrivateKey): Signer {
  const peerId = asPeerId(peerIdFromPrivateKey(key).toString())
  const subtle = globalThis.crypto?.subtle
  if (key.type !== 'Ed25519' || subtle == null) return { peerId, sign: (bytes) => key.sign(bytes) }
  const { raw } = key
  let imported: Promise<CryptoKey | null> | undefined
  const cryptoKey = () =>
    (imported ??= subtle
      .importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: base64url(raw.subarray(0, 32)), x: base64url(raw.subarray(32, 64)) }, { name: 'Ed25519' }, false, ['sign'])
      .catch(() => null))
  return {
    peerId,
    async sign(bytes) {
      const k = await cryptoKey()
      if (k == null) return key.sign(bytes)
      return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, k, bytes.slice()))
    },
  }
}
