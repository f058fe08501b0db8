/**
 * Signed discovery announcements: a record opens only for the key that signed it, on the
 * topic it was signed for, with exactly the addresses it was signed with. The searches below
 * alter records the ways a forwarder could (any byte, the address list, the key, the topic)
 * and expect no altered record to open as signed.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { discoveryValidator, encodeAnnouncement, MAX_ANNOUNCED_ADDRS, MAX_ANNOUNCEMENT_BYTES, openAnnouncement, readAccepted, signAnnouncement, VERIFIED_BYTES, VERIFIED_RECORDS } from './announcer'
import { discoveryTopic } from './topics'

const TOPIC = discoveryTopic('bafy-room')
let alice: PrivateKey
let mallory: PrivateKey

beforeAll(async () => {
  alice = await generateKeyPair('Ed25519')
  mallory = await generateKeyPair('Ed25519')
})

const addr = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => multiaddr(`/ip4/10.0.0.${h}/tcp/${p}`).bytes)
const addrs = fc.array(addr, { maxLength: 6 })
const validate = (data: Uint8Array, topic = TOPIC) => discoveryValidator(topic)(peerIdFromPrivateKey(alice), { type: 'unsigned', topic, data })

describe('signed discovery announcements', () => {
  it('open as signed by their key, with the addresses signed, and are accepted', async () => {
    await fc.assert(
      fc.asyncProperty(addrs, async (as) => {
        const data = await signAnnouncement(alice, TOPIC, as)
        const opened = await openAnnouncement(data, TOPIC)
        expect(opened.status).toBe('signed')
        if (opened.status !== 'signed') return
        expect(opened.peerId.equals(peerIdFromPrivateKey(alice))).toBe(true)
        expect(opened.addrs.map((a) => multiaddr(a).toString())).toEqual(as.map((a) => multiaddr(a).toString()))
        expect(readAccepted(data)?.peerId.toString()).toBe(peerIdFromPrivateKey(alice).toString())
        expect(await validate(data)).toBe(TopicValidatorResult.Accept)
      }),
      { numRuns: 25 },
    )
  })

  it('never open as signed once any byte is changed, and are rejected', async () => {
    const as = [multiaddr('/ip4/10.0.0.2/tcp/7790').bytes, multiaddr('/ip4/10.0.0.2/tcp/7791/ws').bytes]
    const data = await signAnnouncement(alice, TOPIC, as)
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: data.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
        const changed = data.slice()
        changed[at] ^= flip
        expect((await openAnnouncement(changed, TOPIC)).status).not.toBe('signed')
        // Unsigned only if the change hid the signature field; never accepted either way.
        expect(await validate(changed)).not.toBe(TopicValidatorResult.Accept)
      }),
      { numRuns: 300 },
    )
  })

  it('keep their signature only for the addresses signed: another list under the same signature is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(addrs, addrs, async (signed, claimed) => {
        fc.pre(signed.map((a) => multiaddr(a).toString()).join() !== claimed.map((a) => multiaddr(a).toString()).join())
        const honest = await signAnnouncement(alice, TOPIC, signed)
        const body = encodeAnnouncement(alice.publicKey, signed)
        const forged = new Uint8Array([...encodeAnnouncement(alice.publicKey, claimed), ...honest.subarray(body.length)])
        expect(await openAnnouncement(forged, TOPIC)).toEqual({ status: 'invalid', reason: 'the signature does not verify' })
        expect(await validate(forged)).toBe(TopicValidatorResult.Reject)
      }),
      { numRuns: 40 },
    )
  })

  it('cannot name another peer: a record of alice\'s key signed by mallory is rejected', async () => {
    const as = [multiaddr('/ip4/192.168.1.20/tcp/22').bytes]
    const mine = await signAnnouncement(mallory, TOPIC, as)
    const malloryBody = encodeAnnouncement(mallory.publicKey, as)
    const forged = new Uint8Array([...encodeAnnouncement(alice.publicKey, as), ...mine.subarray(malloryBody.length)])
    expect((await openAnnouncement(forged, TOPIC)).status).toBe('invalid')
    expect(await validate(forged)).toBe(TopicValidatorResult.Reject)
  })

  it('belong to one room: a record signed for another room\'s topic is rejected', async () => {
    const data = await signAnnouncement(alice, discoveryTopic('bafy-other'), [])
    expect((await openAnnouncement(data, TOPIC)).status).toBe('invalid')
    expect(await validate(data)).toBe(TopicValidatorResult.Reject)
  })

  it('drop an older peer\'s unsigned record without a penalty, and reject what is not a record', async () => {
    const unsigned = encodeAnnouncement(alice.publicKey, [multiaddr('/ip4/10.0.0.2/tcp/7790').bytes])
    expect(await openAnnouncement(unsigned, TOPIC)).toEqual({ status: 'unsigned' })
    expect(readAccepted(unsigned)).toBeUndefined()
    expect(await validate(unsigned)).toBe(TopicValidatorResult.Ignore)
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (junk) => {
        const opened = await openAnnouncement(junk, TOPIC)
        expect(opened.status).not.toBe('signed')
        expect(await validate(junk)).not.toBe(TopicValidatorResult.Accept)
      }),
      { numRuns: 300 },
    )
  })

  it('refuse oversized records before checking a signature, and sign only what receivers accept', async () => {
    const self = peerIdFromPrivateKey(alice).toString()
    const relay = peerIdFromPrivateKey(mallory).toString()
    const short = Array.from({ length: MAX_ANNOUNCED_ADDRS + 40 }, (_, i) => multiaddr(`/ip4/10.0.${i >> 8}.${i & 255}/tcp/7790`).bytes)
    const long = Array.from({ length: MAX_ANNOUNCED_ADDRS }, (_, i) => multiaddr(`/dns4/relay-${i}.a-rather-long-domain-name.example.org/tcp/443/wss/p2p/${relay}/p2p-circuit/webrtc/p2p/${self}`).bytes)
    expect(long.reduce((n, a) => n + a.length, 0)).toBeGreaterThan(MAX_ANNOUNCEMENT_BYTES)
    for (const many of [short, long]) {
      const data = await signAnnouncement(alice, TOPIC, many)
      expect(data.length).toBeLessThanOrEqual(MAX_ANNOUNCEMENT_BYTES)
      const opened = await openAnnouncement(data, TOPIC)
      expect(opened.status).toBe('signed')
      if (opened.status !== 'signed') continue
      expect(opened.addrs.length).toBeGreaterThan(10)
      expect(opened.addrs.length).toBeLessThanOrEqual(MAX_ANNOUNCED_ADDRS)
      expect(opened.addrs.map((a) => multiaddr(a).toString())).toEqual(many.slice(0, opened.addrs.length).map((a) => multiaddr(a).toString()))
    }

    const big = new Uint8Array([...encodeAnnouncement(alice.publicKey, long), 26, 64, ...new Uint8Array(64)])
    expect(big.length).toBeGreaterThan(MAX_ANNOUNCEMENT_BYTES)
    expect(await openAnnouncement(big, TOPIC)).toEqual({ status: 'invalid', reason: `larger than ${MAX_ANNOUNCEMENT_BYTES} bytes` })
    const crowded = new Uint8Array([...encodeAnnouncement(alice.publicKey, short), 26, 64, ...new Uint8Array(64)])
    expect(crowded.length).toBeLessThanOrEqual(MAX_ANNOUNCEMENT_BYTES)
    expect(await openAnnouncement(crowded, TOPIC)).toEqual({ status: 'invalid', reason: `more than ${MAX_ANNOUNCED_ADDRS} addresses` })
  })

  it('are checked once per validator: a repeat of an accepted record is accepted without a second check', async () => {
    let checks = 0
    const counting: typeof openAnnouncement = async (data, topic) => (checks++, openAnnouncement(data, topic))
    const v = discoveryValidator(TOPIC, counting)
    const from = peerIdFromPrivateKey(alice)
    const record = await signAnnouncement(alice, TOPIC, [multiaddr('/ip4/10.0.0.2/tcp/7790').bytes])
    for (let i = 0; i < 20; i++) expect(await v(from, { type: 'unsigned', topic: TOPIC, data: record.slice() })).toBe(TopicValidatorResult.Accept)
    expect(checks).toBe(1)
    const other = await signAnnouncement(mallory, TOPIC, [multiaddr('/ip4/10.0.0.3/tcp/7790').bytes])
    expect(await v(from, { type: 'unsigned', topic: TOPIC, data: other })).toBe(TopicValidatorResult.Accept)
    expect(checks).toBe(2)
  })

  it('never accept a changed copy of a record the validator already accepted', async () => {
    const v = discoveryValidator(TOPIC)
    const from = peerIdFromPrivateKey(alice)
    const data = await signAnnouncement(alice, TOPIC, [multiaddr('/ip4/10.0.0.2/tcp/7790').bytes, multiaddr('/ip4/10.0.0.2/tcp/7791/ws').bytes])
    expect(await v(from, { type: 'unsigned', topic: TOPIC, data })).toBe(TopicValidatorResult.Accept)
    let changedBeforeSignature = 0
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: data.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (at, flip, truncate) => {
        const changed = truncate ? data.slice(0, at) : data.slice()
        if (!truncate) changed[at] ^= flip
        if (at < data.length - 64) changedBeforeSignature++
        expect(await v(from, { type: 'unsigned', topic: TOPIC, data: changed })).not.toBe(TopicValidatorResult.Accept)
      }),
      { numRuns: 300 },
    )
    // Most changes keep the signature bytes the cache is keyed by: the equal-bytes check is what stops them.
    expect(changedBeforeSignature).toBeGreaterThan(100)
    expect(await v(from, { type: 'unsigned', topic: TOPIC, data })).toBe(TopicValidatorResult.Accept)
  })

  it(`remember at most ${VERIFIED_RECORDS} records: the oldest is checked again`, async () => {
    let checks = 0
    const v = discoveryValidator(TOPIC, async () => (checks++, { status: 'signed', peerId: peerIdFromPrivateKey(alice), addrs: [] }))
    const from = peerIdFromPrivateKey(alice)
    const record = (i: number) => new Uint8Array(Array.from({ length: 80 }, (_, j) => (j < 4 ? (i >> (8 * j)) & 255 : j)).reverse())
    for (let i = 0; i <= VERIFIED_RECORDS; i++) await v(from, { type: 'unsigned', topic: TOPIC, data: record(i) })
    expect(checks).toBe(VERIFIED_RECORDS + 1)
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(VERIFIED_RECORDS) })
    expect(checks).toBe(VERIFIED_RECORDS + 1)
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(0) })
    expect(checks).toBe(VERIFIED_RECORDS + 2)
  })

  it(`remember at most ${VERIFIED_BYTES} bytes of records: large ones push the oldest out sooner`, async () => {
    let checks = 0
    const v = discoveryValidator(TOPIC, async () => (checks++, { status: 'signed', peerId: peerIdFromPrivateKey(alice), addrs: [] }))
    const from = peerIdFromPrivateKey(alice)
    const record = (i: number) => new Uint8Array(Array.from({ length: MAX_ANNOUNCEMENT_BYTES }, (_, j) => (j < 4 ? (i >> (8 * j)) & 255 : j & 255)).reverse())
    const fit = Math.floor(VERIFIED_BYTES / MAX_ANNOUNCEMENT_BYTES)
    for (let i = 0; i < fit; i++) await v(from, { type: 'unsigned', topic: TOPIC, data: record(i) })
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(0) })
    expect(checks).toBe(fit)
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(fit) })
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(fit) })
    expect(checks).toBe(fit + 1)
    // The oldest, record(0), made room and is checked again; record(1) is still remembered.
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(1) })
    expect(checks).toBe(fit + 1)
    await v(from, { type: 'unsigned', topic: TOPIC, data: record(0) })
    expect(checks).toBe(fit + 2)
  })
})
