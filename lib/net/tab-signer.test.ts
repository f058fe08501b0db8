import { generateKeyPair } from '@libp2p/crypto/keys'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { webCryptoSigner } from './tab-signer'

describe('webCryptoSigner', () => {
  it('signs exactly as libp2p does (Ed25519 is deterministic), and the signature verifies', async () => {
    const key = await generateKeyPair('Ed25519')
    const signer = webCryptoSigner(key)
    const webSign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    const imports = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    expect(signer.peerId).toBe((await import('@libp2p/peer-id')).peerIdFromPrivateKey(key).toString())
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (msg) => {
        const sig = await signer.sign(msg)
        expect(sig).toEqual(new Uint8Array(await key.sign(msg)))
        expect(await key.publicKey.verify(msg, sig)).toBe(true)
      }),
      { numRuns: 50 },
    )
    // The WebCrypto path ran (not the fallback), with the key imported once.
    expect(webSign).toHaveBeenCalled()
    expect(imports).toHaveBeenCalledTimes(1)
    vi.restoreAllMocks()
  })

  it('signs a view into a larger buffer over the view only', async () => {
    const key = await generateKeyPair('Ed25519')
    const buf = new Uint8Array(64).map((_, i) => i)
    const view = buf.subarray(10, 30)
    expect(await webCryptoSigner(key).sign(view)).toEqual(new Uint8Array(await key.sign(view.slice())))
  })
})
