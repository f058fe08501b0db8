/**
 * The core's injected Signer/Verifier backed by libp2p Ed25519 keys: the same key that
 * identifies a peer on the mesh signs its events, so `author` is its libp2p peer id. libp2p's
 * crypto uses WebCrypto / node:crypto where available, far faster than pure JS.
 */
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import type { Signer, Verifier } from '../core/events/signer'
import { asPeerId, type PeerId } from '../core/ids'

/**
 * Signs as the peer that owns `key`. In Node the key is imported into node:crypto once
 * (libp2p's `sign` imports it on every call); Ed25519 signatures are deterministic, so both
 * give the same bytes.
 */
export function libp2pSigner(key: PrivateKey): Signer {
  const peerId = asPeerId(peerIdFromPrivateKey(key).toString())
  const node = key.type === 'Ed25519' ? nodeCrypto() : null
  if (node?.createPrivateKey && node.sign) {
    try {
      const { raw } = key
      const keyObject = node.createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: base64url(raw.subarray(0, 32)), x: base64url(raw.subarray(32, 64)) }, format: 'jwk' })
      const sign = node.sign
      return { peerId, sign: (bytes) => sign(null, bytes, keyObject) }
    } catch {
      // A key node:crypto refuses: libp2p's own sign below.
    }
  }
  return { peerId, sign: (bytes) => key.sign(bytes) }
}

const MAX_CACHED = 10_000

/** The node:crypto functions the Node backend needs (typed here: this file is bundled for tabs too). */
interface NodeCrypto {
  createPublicKey(k: { key: { kty: 'OKP'; crv: 'Ed25519'; x: string }; format: 'jwk' }): unknown
  verify(algorithm: null, data: Uint8Array, key: unknown, signature: Uint8Array): boolean
  createPrivateKey?(k: { key: { kty: 'OKP'; crv: 'Ed25519'; d: string; x: string }; format: 'jwk' }): unknown
  sign?(algorithm: null, data: Uint8Array, key: unknown): Uint8Array
  hash?(algorithm: 'sha256', data: Uint8Array, outputEncoding: 'buffer'): Uint8Array
  createHash(algorithm: 'sha256'): { update(data: Uint8Array): { digest(): Uint8Array } }
}

/** node:crypto in Node (without a static import a browser bundle would choke on), else null. */
function nodeCrypto(): NodeCrypto | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    return (proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined) ?? null
  } catch {
    return null
  }
}

/**
 * node:crypto's SHA-256 (≈ 4× @noble/hashes on a 1 KB event) for `EventLogInit.sha256`, or
 * undefined outside Node, where the core's default (noble) stays.
 */
export function nativeSha256(): ((bytes: Uint8Array) => Uint8Array) | undefined {
  const node = nodeCrypto()
  if (!node) return undefined
  const { hash } = node
  return hash ? (bytes) => hash('sha256', bytes, 'buffer') : (bytes) => node.createHash('sha256').update(bytes).digest()
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/**
 * How signatures are checked. libp2p's `PublicKey.verify` imports the raw key into node:crypto
 * (from JWK) or WebCrypto (`importKey`) on every call, ~18 % of a verify in Node; these
 * backends import each author's key once and keep it with the parsed peer id.
 * - `node`: node:crypto `verify` with a cached `KeyObject` (Node; synchronous, native);
 * - `webcrypto`: `crypto.subtle.verify` with a cached `CryptoKey` (tabs; native);
 * - `libp2p`: `PublicKey.verify` (noble where WebCrypto lacks Ed25519).
 * `auto` picks the first available; a WebCrypto without Ed25519 falls back to libp2p.
 */
export type VerifyBackend = 'auto' | 'node' | 'webcrypto' | 'libp2p'

interface Author {
  key: PublicKey
  node?: unknown
  web?: Promise<CryptoKey | null>
}

/** Verifies with the public key embedded in an Ed25519 peer id; false for anything else. */
export function libp2pVerifier(opts: { backend?: VerifyBackend } = {}): Verifier {
  const want = opts.backend ?? 'auto'
  const node = want === 'auto' || want === 'node' ? nodeCrypto() : null
  if (want === 'node' && !node) throw new Error('node:crypto is not available here')
  const subtle = !node && (want === 'auto' || want === 'webcrypto') ? (globalThis.crypto?.subtle ?? null) : null
  if (want === 'webcrypto' && !subtle) throw new Error('WebCrypto is not available here')
  /** False once WebCrypto refused an Ed25519 key: libp2p's verify (noble) from then on. */
  const webOk = subtle != null
  const authors = new Map<string, Author | null>()
  const authorOf = (peerId: PeerId): Author | null => {
    let a = authors.get(peerId)
    if (a === undefined) {
      try {
        const key = peerIdFromString(peerId).publicKey
        a = key && key.type === 'Ed25519' ? { key } : null
        if (a && node) a.node = node.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url(a.key.raw) }, format: 'jwk' })
      } catch {
        a = null
      }
      if (authors.size >= MAX_CACHED) authors.clear()
      authors.set(peerId, a)
    }
    return a
  }
  const webKey = (a: Author): Promise<CryptoKey | null> =>
    // A key WebCrypto refuses falls back to libp2p's verify for that author only.
    (a.web ??= (subtle as SubtleCrypto).importKey('raw', a.key.raw.slice(), { name: 'Ed25519' }, false, ['verify']).catch(() => null))
  const verifyAsync = async (a: Author, bytes: Uint8Array, sig: Uint8Array): Promise<boolean> => {
    if (webOk) {
      try {
        const key = await webKey(a)
        if (key) return await (subtle as SubtleCrypto).verify({ name: 'Ed25519' }, key, sig as Uint8Array<ArrayBuffer>, bytes as Uint8Array<ArrayBuffer>)
      } catch {
        // e.g. a view on a SharedArrayBuffer, which WebCrypto refuses: libp2p copies it.
      }
    }
    try {
      return await a.key.verify(bytes, sig)
    } catch {
      return false
    }
  }
  return {
    /** Synchronous with node:crypto (no promise per event), a promise otherwise. */
    verify(peerId, bytes, sig) {
      const a = authorOf(peerId)
      if (a == null) return false
      if (!node) return verifyAsync(a, bytes, sig)
      try {
        return node.verify(null, bytes, a.node, sig)
      } catch {
        return false
      }
    },
  }
}
