import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { testSigner, testVerifier } from '../../core/testing/ed25519'
import { decodeHeartbeat, encodeHeartbeat, verifyHeartbeat } from './message'

const ROOM = 'room-1'
const alice = testSigner('alice')

describe('heartbeat encoding', () => {
  it('round-trips what a peer says about itself, under the key that signed it', async () => {
    const bytes = await encodeHeartbeat(alice, ROOM, 'beat', { name: 'relay', kind: 'relay', role: 'relay', root: 'abc' }, 12.7)
    const h = decodeHeartbeat(ROOM, bytes)
    expect(h?.beat).toEqual({ v: 2, type: 'beat', from: alice.peerId, name: 'relay', kind: 'relay', role: 'relay', root: 'abc', time: 12 })
    expect(h && (await verifyHeartbeat(testVerifier, h))).toBe(true)
  })

  it('drops malformed, oversized and unknown-version input without throwing', () => {
    const enc = (body: unknown) => new Uint8Array([...new Uint8Array(64), ...new TextEncoder().encode(JSON.stringify(body))])
    expect(decodeHeartbeat(ROOM, new TextEncoder().encode('not json'))).toBeUndefined()
    expect(decodeHeartbeat(ROOM, enc({ v: 1, type: 'beat', from: alice.peerId, name: 'x', kind: 'human', role: 'r', time: 1 }))).toBeUndefined()
    expect(decodeHeartbeat(ROOM, enc({ v: 2, type: 'beat', from: alice.peerId, name: 'x', kind: 'robot', role: 'r', time: 1 }))).toBeUndefined()
    expect(decodeHeartbeat(ROOM, enc({ v: 2, type: 'beat', name: 'x', kind: 'human', role: 'r', time: 1 }))).toBeUndefined()
    expect(decodeHeartbeat(ROOM, new Uint8Array(5000))).toBeUndefined()
  })

  it('any change to a signed beat, or reading it in another room, makes it undecodable or unverifiable', async () => {
    const bytes = await encodeHeartbeat(alice, ROOM, 'beat', { name: 'alice', kind: 'human', role: 'reviewer', root: 'r00t' }, 1_700_000_000_000)
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.byteLength - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const copy = bytes.slice()
        copy[at] ^= mask
        const h = decodeHeartbeat(ROOM, copy)
        expect(h == null || !(await verifyHeartbeat(testVerifier, h))).toBe(true)
      }),
      { numRuns: 300 },
    )
    const h = decodeHeartbeat('room-2', bytes)
    expect(h && (await verifyHeartbeat(testVerifier, h))).toBe(false)
  })
})
