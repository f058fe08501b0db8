import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { hexToBytes } from '@noble/hashes/utils.js'
import { cidOf } from '../core/events/codec'
import v1 from '../core/events/fixtures/v1.json'
import { asEventId, asPeerId } from '../core/ids'
import { EventLog } from '../core/log/log'
import { T0 } from '../core/testing/room'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import { libp2pSigner, libp2pVerifier, nativeSha256, type VerifyBackend } from './keys'

const bytes = new TextEncoder().encode('an event envelope')

describe('libp2p signer and verifier', () => {
  it('signs as the libp2p peer id and verifies only the right signer and bytes', async () => {
    const signer = libp2pSigner(await generateKeyPair('Ed25519'))
    expect(signer.peerId).toMatch(/^12D3KooW/)
    const sig = await signer.sign(bytes)
    const v = libp2pVerifier()
    expect(await v.verify(signer.peerId, bytes, sig)).toBe(true)
    expect(await v.verify(signer.peerId, new TextEncoder().encode('another envelope'), sig)).toBe(false)
    const other = libp2pSigner(await generateKeyPair('Ed25519'))
    expect(await v.verify(other.peerId, bytes, sig)).toBe(false)
  })

  it("signs with the key imported once into node:crypto, byte for byte as libp2p's own sign", async () => {
    const key = await generateKeyPair('Ed25519')
    const signer = libp2pSigner(key)
    for (const msg of [bytes, new Uint8Array(0), new Uint8Array(5000).fill(7)]) expect(Buffer.from(await signer.sign(msg))).toEqual(Buffer.from(await key.sign(msg)))
  })

  it('agrees with the core test signer, so tests and production speak the same format', async () => {
    const noble = testSigner('alice')
    expect(await libp2pVerifier().verify(noble.peerId, bytes, await noble.sign(bytes))).toBe(true)
    const real = libp2pSigner(await generateKeyPair('Ed25519'))
    expect(await testVerifier.verify(real.peerId, bytes, await real.sign(bytes))).toBe(true)
  })

  it('returns false instead of throwing on garbage peer ids and signatures', async () => {
    const v = libp2pVerifier()
    expect(await v.verify(asPeerId('not-a-peer-id'), bytes, new Uint8Array(64))).toBe(false)
    const signer = libp2pSigner(await generateKeyPair('Ed25519'))
    expect(await v.verify(signer.peerId, bytes, new Uint8Array(3))).toBe(false)
    const rsaLike = asPeerId('QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N')
    expect(await v.verify(rsaLike, bytes, new Uint8Array(64))).toBe(false)
  })

  it.each(['node', 'webcrypto', 'libp2p'] as VerifyBackend[])('the %s backend gives the same verdicts, also for an author seen before', async (backend) => {
    const v = libp2pVerifier({ backend })
    const signer = libp2pSigner(await generateKeyPair('Ed25519'))
    const other = libp2pSigner(await generateKeyPair('Ed25519'))
    const sig = await signer.sign(bytes)
    for (let round = 0; round < 2; round++) {
      // The second round runs on the cached key: it must not remember verdicts, only keys.
      expect(await v.verify(signer.peerId, bytes, sig)).toBe(true)
      expect(await v.verify(signer.peerId, new TextEncoder().encode('another envelope'), sig)).toBe(false)
      expect(await v.verify(other.peerId, bytes, sig)).toBe(false)
      expect(await v.verify(signer.peerId, bytes, new Uint8Array(3))).toBe(false)
      expect(await v.verify(asPeerId('not-a-peer-id'), bytes, sig)).toBe(false)
    }
    const noble = testSigner('alice')
    expect(await v.verify(noble.peerId, bytes, await noble.sign(bytes))).toBe(true)
  })

  it('nativeSha256 gives the ids the core computes, and a log hashing with it stores the same events', async () => {
    const sha256 = nativeSha256()
    expect(sha256).toBeDefined()
    const fixtures = v1.map((f) => ({ id: f.id, bytes: hexToBytes(f.hex) }))
    for (const f of fixtures) expect(cidOf(f.bytes, sha256)).toBe(f.id)
    let hashed = 0
    const counted = (b: Uint8Array) => (hashed++, (sha256 as (b: Uint8Array) => Uint8Array)(b))
    const log = new EventLog({ room: asEventId(fixtures[0].id), verifier: testVerifier, now: () => T0 + 3600_000, sha256: counted })
    for (const f of fixtures) expect(await log.add(f.bytes)).toEqual({ status: 'accepted', id: f.id })
    for (const f of fixtures) expect(await log.add(f.bytes.slice())).toEqual({ status: 'duplicate', id: f.id })
    expect(hashed).toBe(2 * fixtures.length)
  })
})
