import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { testSigner } from '../testing/ed25519'
import { ed25519PublicKeyFromPeerId, isEd25519PeerId, peerIdFromEd25519PublicKey } from './peer-id'

describe('Ed25519 peer ids', () => {
  it('match what libp2p derives from the same key', () => {
    const { publicKey, peerId } = testSigner('alice')
    expect(peerId).toBe(peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString())
    expect(peerId.startsWith('12D3KooW')).toBe(true)
  })

  it('round-trip to the public key libp2p reads out of the id', () => {
    const { publicKey, peerId } = testSigner('bob')
    expect(ed25519PublicKeyFromPeerId(peerId)).toEqual(publicKey)
    expect(peerIdFromString(peerId).publicKey?.raw).toEqual(publicKey)
  })

  it('reject strings that are not Ed25519 peer ids', () => {
    expect(isEd25519PeerId('QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N')).toBe(false)
    expect(isEd25519PeerId('not a peer id!')).toBe(false)
    expect(isEd25519PeerId('')).toBe(false)
    expect(() => peerIdFromEd25519PublicKey(new Uint8Array(31))).toThrow(RangeError)
  })
})
