import { TopicValidatorResult } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Signer, Verifier } from '../../core/events/signer'
import { detectPartition } from '../../core/presence/partition'
import type { PresenceInfo } from '../../core/presence/tracker'
import { testSigner, testVerifier } from '../../core/testing/ed25519'
import { replicaRoom, type ReplicaRoom } from '../../core/testing/replica'
import { presenceTopic } from '../topics'
import { encodeHeartbeat } from './message'
import type { PresenceService } from './service'
import { connectedNode, startPresence, type Validator } from './testing'

const INTERVAL = 1000

let room: ReplicaRoom
let service: PresenceService
let validators: Map<string, Validator>
let topic: string
let verified: number
const RELAY = peerIdFromString(testSigner('relay').peerId)

/** Hands bytes to the topic's validator, as gossipsub does for every message it receives. */
function receive(data: Uint8Array, forwarder = RELAY): Promise<TopicValidatorResult> {
  const validate = validators.get(topic)
  if (validate == null) throw new Error('no presence validator')
  return validate(forwarder, { topic, data }) as Promise<TopicValidatorResult>
}

/** A heartbeat `from` signed and sent, through `forwarder` (the relay unless told). */
async function deliver(from: Signer, claims: PresenceInfo, opts: { type?: 'beat' | 'bye'; forwarder?: typeof RELAY } = {}): Promise<TopicValidatorResult> {
  return receive(await encodeHeartbeat(from, room.replica.log.room, opts.type ?? 'beat', claims, Date.now()), opts.forwarder)
}

const rows = () => service.snapshot().peers.map((p) => ({ id: p.peerId, name: p.name, kind: p.kind, role: p.role, status: p.status }))

beforeEach(async () => {
  room = await replicaRoom()
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
  const self = testSigner('self')
  const fake = connectedNode(self.peerId)
  validators = fake.topicValidators
  topic = presenceTopic(room.replica.log.room)
  verified = 0
  const counting: Verifier = { verify: (...args) => (verified++, testVerifier.verify(...args)) }
  service = startPresence(fake.node, room, self, { intervalMs: INTERVAL, me: { kind: 'human', role: 'reviewer' }, verifier: counting })
})

afterEach(async () => {
  await service.stop()
  vi.useRealTimers()
})

describe('presence is authenticated by the room log', () => {
  it('lists a member under the key that signed its beat, with the name, kind and role of the log, whatever the beat claims', async () => {
    const mallory = await room.member('mallory', 'agent')
    await deliver(mallory, { name: 'Owner', kind: 'relay', role: 'owner' })
    expect(rows()).toEqual([{ id: mallory.peerId, name: 'mallory', kind: 'agent', role: 'agent', status: 'alive' }])
    // The room's owner is the relay that signed its genesis: listed as one, by the log.
    await deliver(room.owner, { name: 'not-the-relay', kind: 'human', role: 'reviewer' })
    expect(rows().find((r) => r.id === room.owner.peerId)).toMatchObject({ name: 'Owner', kind: 'relay', role: 'owner' })
  })

  it('drops beats from keys that never joined without verifying them, so they are never listed', async () => {
    const alice = await room.member('alice', 'reviewer')
    for (let i = 0; i < 50; i++) await deliver(testSigner(`minted-${i}`), { name: 'alice', kind: 'human', role: 'admin' })
    expect(rows()).toEqual([])
    expect(service.droppedBeats).toBe(50)
    expect(verified).toBe(0)
    await deliver(alice, { name: 'alice', kind: 'human', role: 'admin' })
    expect(rows()).toEqual([{ id: alice.peerId, name: 'alice', kind: 'human', role: 'reviewer', status: 'alive' }])
  })

  it('shows a rename at once, and stops listing a member once it is revoked or has left (its later beats are dropped)', async () => {
    const alice = await room.member('alice', 'reviewer')
    const bob = await room.member('bob', 'agent')
    await deliver(alice, { name: 'alice', kind: 'human', role: 'reviewer' })
    await deliver(bob, { name: 'bob', kind: 'agent', role: 'agent' })
    await room.replica.author(alice, 'member.renamed', { displayName: 'Alice Martin' })
    expect(rows().map((r) => r.name)).toEqual(['Alice Martin', 'bob'])
    await room.replica.author(room.owner, 'member.revoked', { member: alice.peerId })
    await room.replica.author(bob, 'member.left', {})
    expect(rows()).toEqual([])
    vi.advanceTimersByTime(INTERVAL)
    await deliver(alice, { name: 'alice', kind: 'human', role: 'reviewer' })
    await deliver(bob, { name: 'bob', kind: 'agent', role: 'agent' })
    expect(rows()).toEqual([])
    expect(service.droppedBeats).toBe(2)
  })

  it('non-members cannot raise the partition banner; members going silent still do', async () => {
    const members = [await room.member('a', 'agent'), await room.member('b', 'agent'), await room.member('c', 'reviewer')]
    for (const m of members) await deliver(m, { name: 'x', kind: 'agent', role: 'agent' })
    // Twenty minted identities beat once and fall silent, while the members keep beating.
    for (let i = 0; i < 20; i++) await deliver(testSigner(`ghost-${i}`), { name: `ghost-${i}`, kind: 'human', role: 'reviewer' })
    for (let t = 0; t < 10; t++) {
      vi.advanceTimersByTime(INTERVAL)
      for (const m of members) await deliver(m, { name: 'x', kind: 'agent', role: 'agent' })
    }
    const statuses = () => service.snapshot().peers.map((p) => p.status)
    expect(statuses()).toEqual(['alive', 'alive', 'alive'])
    expect(detectPartition(statuses()).partitioned).toBe(false)
    // Now two of the three members go silent: that is a partition.
    for (let t = 0; t < 4; t++) {
      vi.advanceTimersByTime(INTERVAL)
      await deliver(members[0], { name: 'x', kind: 'agent', role: 'agent' })
    }
    expect(detectPartition(statuses()).partitioned).toBe(true)
  })

  it("does not count a beat under a member's name that the member did not sign, and lowers the sender's score", async () => {
    const alice = await room.member('alice', 'reviewer')
    const mallory = await room.member('mallory', 'agent')
    // Mallory, a member, signs a beat that names Alice as its sender.
    const impostor: Signer = { peerId: alice.peerId, sign: (b) => mallory.sign(b) }
    expect(await deliver(impostor, { name: 'alice', kind: 'human', role: 'reviewer' })).toBe(TopicValidatorResult.Reject)
    // A beat with no signature at all (zeros where it goes).
    const unsigned: Signer = { peerId: alice.peerId, sign: () => new Uint8Array(64) }
    expect(await deliver(unsigned, { name: 'alice', kind: 'human', role: 'reviewer' })).toBe(TopicValidatorResult.Reject)
    // A beat Alice signed for another room.
    const elsewhere = await encodeHeartbeat(alice, 'another-room', 'beat', { name: 'alice', kind: 'human', role: 'reviewer' }, Date.now())
    expect(await receive(elsewhere)).toBe(TopicValidatorResult.Reject)
    expect(rows()).toEqual([])
    expect(service.forgedBeats).toBe(3)
    expect(await deliver(alice, { name: 'alice', kind: 'human', role: 'reviewer' })).toBe(TopicValidatorResult.Accept)
    expect(rows()).toEqual([{ id: alice.peerId, name: 'alice', kind: 'human', role: 'reviewer', status: 'alive' }])
    // Four signatures checked, one of them held.
    expect([verified, service.verifiedBeats]).toEqual([4, 1])
  })

  it('a replayed beat does not keep a silent member alive, and is never verified again', async () => {
    const alice = await room.member('alice', 'reviewer')
    const old = await encodeHeartbeat(alice, room.replica.log.room, 'beat', { name: 'alice', kind: 'human', role: 'reviewer' }, Date.now())
    expect(await receive(old)).toBe(TopicValidatorResult.Accept)
    const before = verified
    for (let t = 0; t < 10; t++) {
      vi.advanceTimersByTime(INTERVAL)
      expect(await receive(old)).toBe(TopicValidatorResult.Ignore)
    }
    expect(verified).toBe(before)
    expect([service.verifiedBeats, service.skippedBeats]).toEqual([1, 10])
    expect(service.snapshot().peers.map((p) => p.status)).toEqual(['dead'])
  })

  it('verifies at most a few beats per forwarder and member per interval; a flood through one peer does not silence the member through another', async () => {
    const alice = await room.member('alice', 'reviewer')
    const mallory = await room.member('mallory', 'agent')
    const impostor: Signer = { peerId: alice.peerId, sign: (b) => mallory.sign(b) }
    const flooder = peerIdFromString(mallory.peerId)
    for (let i = 0; i < 200; i++) {
      vi.advanceTimersByTime(1)
      await deliver(impostor, { name: 'alice', kind: 'human', role: 'reviewer' }, { forwarder: flooder })
    }
    expect(verified).toBeLessThanOrEqual(4)
    expect(await deliver(alice, { name: 'alice', kind: 'human', role: 'reviewer' })).toBe(TopicValidatorResult.Accept)
    expect(rows().map((r) => r.status)).toEqual(['alive'])
  })
})

describe('a hub forwards the beats of a window together', () => {
  it('counts each beat on arrival, answers Accept for all of a window at its end, and rejects a forged one at once', async () => {
    await service.stop()
    const fake = connectedNode(testSigner('hub').peerId)
    validators = fake.topicValidators
    service = startPresence(fake.node, room, testSigner('hub'), { intervalMs: INTERVAL, me: { kind: 'relay', role: 'relay' }, forwardWindowMs: 200 })
    const members = [await room.member('a', 'agent'), await room.member('b', 'agent'), await room.member('c', 'reviewer')]
    const verdicts: Array<[string, TopicValidatorResult, number]> = []
    const start = Date.now()
    for (const [i, m] of members.entries()) {
      void deliver(m, { name: 'x', kind: 'agent', role: 'agent' }).then((v) => verdicts.push([m.peerId, v, Date.now() - start]))
      await vi.advanceTimersByTimeAsync(50 * (i + 1) - (Date.now() - start))
    }
    // Mallory signs a beat under Alice's name: rejected without waiting for the window.
    const impostor: Signer = { peerId: members[0].peerId, sign: (b) => members[1].sign(b) }
    vi.advanceTimersByTime(1)
    expect(await deliver(impostor, { name: 'x', kind: 'agent', role: 'agent' })).toBe(TopicValidatorResult.Reject)
    // Every member is counted alive at once; nobody's Accept has gone yet.
    expect(service.snapshot().peers.map((p) => p.status)).toEqual(['alive', 'alive', 'alive'])
    expect(verdicts).toEqual([])
    await vi.advanceTimersByTimeAsync(200)
    expect(verdicts.map(([id, v]) => [id, v])).toEqual(members.map((m) => [m.peerId, TopicValidatorResult.Accept]))
    // One release for the three: all at the window's end, 200 ms after the first arrived.
    expect(new Set(verdicts.map(([, , at]) => at))).toEqual(new Set([200]))
  })

  it('does not forward the beat of a member revoked while its window was open', async () => {
    await service.stop()
    const fake = connectedNode(testSigner('hub').peerId)
    validators = fake.topicValidators
    service = startPresence(fake.node, room, testSigner('hub'), { intervalMs: INTERVAL, me: { kind: 'relay', role: 'relay' }, forwardWindowMs: 200 })
    const alice = await room.member('alice', 'reviewer')
    const bob = await room.member('bob', 'agent')
    const verdicts = new Map<string, TopicValidatorResult>()
    for (const [m, who] of [[alice, 'human'], [bob, 'agent']] as const) void deliver(m, { name: 'x', kind: who, role: 'agent' }).then((v) => verdicts.set(m.peerId, v))
    await vi.advanceTimersByTimeAsync(50)
    await room.replica.author(room.owner, 'member.revoked', { member: alice.peerId })
    await vi.advanceTimersByTimeAsync(200)
    expect(verdicts.get(alice.peerId)).toBe(TopicValidatorResult.Ignore)
    expect(verdicts.get(bob.peerId)).toBe(TopicValidatorResult.Accept)
  })
})
