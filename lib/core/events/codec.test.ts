import * as dagCbor from '@ipld/dag-cbor'
import { hexToBytes } from '@noble/hashes/utils.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { describe, expect, it } from 'vitest'
import { testSigner, testVerifier } from '../testing/ed25519'
import { T0 } from '../testing/room'
import { createGenesis } from '../log/author'
import { cidOf, decodeEvent, encodeCanonical, signEvent, signingBytes, SigningError } from './codec'
import { MAX_EVENT_BYTES } from './constants'
import v1 from './fixtures/v1.json'

const fixtures = v1.map((f) => ({ ...f, bytes: hexToBytes(f.hex) }))

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

  it('cuts out signing bytes identical to encoding the envelope without sig, for every v1 fixture', () => {
    for (const f of fixtures) {
      const d = decodeEvent(f.bytes)
      if (!d.ok) throw new Error(`${f.kind}: ${d.detail}`)
      const { sig: _sig, ...unsigned } = dagCbor.decode(f.bytes) as Record<string, unknown>
      expect(d.signing, f.kind).toEqual(new Uint8Array(dagCbor.encode(unsigned)))
      expect(d.signing, f.kind).toEqual(signingBytes(d.value.event))
    }
  })

  it('cuts the sig out correctly whatever the width of seq', async () => {
    const g = await genesis()
    // Past 23, 255, 65535 and 2^32 - 1 seq takes 2, 3, 5 and 9 bytes in CBOR; the signature is still not checked here.
    for (const seq of [23, 24, 255, 256, 65_535, 65_536, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const prev = g.id
      const event = { ...g.event, kind: 'task.released', room: g.id, seq, prev, payload: { taskId: 't' } }
      const d = decodeEvent(dagCbor.encode(event))
      if (!d.ok) throw new Error(`seq ${seq}: ${d.detail}`)
      const { sig: _sig, ...unsigned } = event
      expect(d.signing, `seq ${seq}`).toEqual(new Uint8Array(dagCbor.encode(unsigned)))
    }
  })

  it('still refuses every fixture re-encoded non-canonically, and a map with a repeated key', () => {
    for (const f of fixtures) {
      // The same map written with an indefinite-length header (0xbf … 0xff) decodes to the same envelope.
      const indefinite = new Uint8Array(f.bytes.length + 1)
      indefinite[0] = 0xbf
      indefinite.set(f.bytes.subarray(1), 1)
      indefinite[f.bytes.length] = 0xff
      expect(decodeEvent(indefinite), f.kind).toMatchObject({ ok: false, reason: 'malformed' })
      // seq 1 written as a two-byte integer (0x18 0x01) instead of one byte.
      const at = f.bytes.indexOf(0x71, 4) + 1 // after the key 'seq'
      const wide = new Uint8Array([...f.bytes.subarray(0, at), 0x18, ...f.bytes.subarray(at)])
      expect(decodeEvent(wide), f.kind).toMatchObject({ ok: false, reason: 'malformed' })
    }
    // {v: 1, v: 1}: a repeated key.
    expect(decodeEvent(new Uint8Array([0xa2, 0x61, 0x76, 0x01, 0x61, 0x76, 0x01]))).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('writes the same id strings as the multiformats CID', () => {
    for (const f of fixtures) expect(cidOf(f.bytes)).toBe(CID.createV1(0x71, createDigest(0x12, sha256(f.bytes))).toString())
  })
})
