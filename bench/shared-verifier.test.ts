import { describe, expect, it } from 'vitest'
import { testSigner, testVerifier } from '../lib/core/testing/ed25519'
import { sharedVerifier } from './shared-verifier'

describe('sharedVerifier', () => {
  it('verifies a signature once for all its users, and never takes it for other bytes, another signer or a bad signature', async () => {
    const alice = testSigner('alice')
    const bytes = new TextEncoder().encode('a beat')
    const sig = await alice.sign(bytes)
    let calls = 0
    const v = sharedVerifier({ verify: (...a) => (calls++, testVerifier.verify(...a)) })
    for (let i = 0; i < 25; i++) expect(await v.verify(alice.peerId, bytes, sig)).toBe(true)
    expect(calls).toBe(1)
    expect(v.hits).toBe(24)
    expect(await v.verify(alice.peerId, new TextEncoder().encode('a beaT'), sig)).toBe(false)
    expect(await v.verify(testSigner('bob').peerId, bytes, sig)).toBe(false)
    const bad = sig.slice()
    bad[0] ^= 1
    expect(await v.verify(alice.peerId, bytes, bad)).toBe(false)
    expect(await v.verify(alice.peerId, bytes, bad)).toBe(false)
    expect(calls).toBe(5)
  })
})
