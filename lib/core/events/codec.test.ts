import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { testSigner, testVerifier } from '../testing/ed25519'
import { T0 } from '../testing/room'
import { createGenesis } from '../log/author'
import { cidOf, decodeEvent, encodeCanonical, signEvent, signingBytes, SigningError } from './codec'
import { MAX_EVENT_BYTES } from './constants'

const owner = testSigner('owner')
const genesis = () =>
  createGenesis(owner, { name: 'r', open: false, config: {}, owner: { displayName: 'O', kind: 'human', capabilities: [] } }, T0)

describe('event codec', () => {
  it('gives the same bytes and id for the same event, whatever the key order', async () => {
    const a = await genesis()
    const b = await genesis()
    expect(a.bytes).toEqual(b.bytes)
    expect(a.id).toBe(b.id)
    const shuffled = Object.fromEntries(Object.entries(a.event).reverse())
    expect(encodeCanonical(shuffled)).toEqual(a.bytes)
  })

  it('ids are CIDv1 dag-cbor sha2-256 of the signed bytes', async () => {
    const g = await genesis()
    const cid = CID.parse(g.id)
    expect(cid.version).toBe(1)
    expect(cid.code).toBe(0x71)
    expect(cid.multihash.code).toBe(0x12)
    expect(cidOf(g.bytes)).toBe(g.id)
  })

  it('signs everything but sig, verifiably', async () => {
    const g = await genesis()
    expect(await testVerifier.verify(owner.peerId, signingBytes(g.event), g.event.sig)).toBe(true)
    const tampered = { ...g.event, time: g.event.time + 1 }
    expect(await testVerifier.verify(owner.peerId, signingBytes(tampered), g.event.sig)).toBe(false)
  })

  it('decodes what it encodes', async () => {
    const g = await genesis()
    const d = decodeEvent(g.bytes)
    expect(d.ok && d.value.id).toBe(g.id)
    expect(d.ok && d.signing).toEqual(signingBytes(g.event))
  })

  it('rejects non-canonical, unknown-kind, extra-field, bad-payload and oversized input', async () => {
    const g = await genesis()
    expect(decodeEvent(new Uint8Array([0xff, 0x00]))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeEvent(dagCbor.encode({ ...g.event, kind: 'room.exploded' }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeEvent(dagCbor.encode({ ...g.event, extra: 1 }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeEvent(dagCbor.encode({ ...g.event, payload: { name: '' } }))).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeEvent(dagCbor.encode({ ...g.event, seq: 2 }))).toMatchObject({ ok: false, reason: 'malformed' })
    // A definite-length map written with an out-of-order key is not canonical dag-cbor.
    const nonCanonical = new Uint8Array([0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02])
    expect(decodeEvent(nonCanonical)).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeEvent(new Uint8Array(MAX_EVENT_BYTES + 1))).toMatchObject({ ok: false, reason: 'oversized' })
  })

  it('refuses to sign for another author', async () => {
    const g = await genesis()
    await expect(signEvent({ ...g.event, author: testSigner('mallory').peerId }, owner)).rejects.toBeInstanceOf(SigningError)
  })
})
