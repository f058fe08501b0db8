import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { asPeerId } from '../core/ids'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import { libp2pSigner, libp2pVerifier, type VerifyBackend } from './keys'

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
})
