import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Signer } from '../../core/events/signer'
import { detectPartition } from '../../core/presence/partition'
import type { PresenceInfo } from '../../core/presence/tracker'
import { testSigner } from '../../core/testing/ed25519'
import { replicaRoom, type ReplicaRoom } from '../../core/testing/replica'
import { presenceTopic } from '../topics'
import { encodeHeartbeat } from './message'
import { memberPresence } from './members'
import { PresenceService, type PresenceNode } from './service'

const INTERVAL = 1000

/** Just enough of a libp2p node for the presence service: beats are delivered by hand. */
function fakeNode(self: string) {
  const pubsub = Object.assign(new EventTarget(), { subscribe: () => {}, publish: async () => ({ recipients: [] }) })
  const node = Object.assign(new EventTarget(), {
    peerId: peerIdFromString(self),
    services: { pubsub, ping: { ping: async () => Promise.reject(new Error('not connected')) } },
    getConnections: () => [],
    getPeers: () => [],
  })
  return { node: node as unknown as PresenceNode, pubsub }
}

let room: ReplicaRoom
let service: PresenceService
let pubsub: EventTarget
let topic: string

/** Delivers a heartbeat as gossipsub hands it over: `from` is the key whose signature it verified. */
function deliver(from: Signer, claims: PresenceInfo, opts: { type?: 'beat' | 'bye'; signed?: boolean } = {}): void {
  const data = encodeHeartbeat(opts.type ?? 'beat', claims, Date.now())
  const detail = opts.signed === false ? { type: 'unsigned', topic, data } : { type: 'signed', topic, data, from: peerIdFromString(from.peerId) }
  pubsub.dispatchEvent(new CustomEvent('message', { detail }))
}

const rows = () => service.snapshot().peers.map((p) => ({ id: p.peerId, name: p.name, kind: p.kind, role: p.role, status: p.status }))

beforeEach(async () => {
  room = await replicaRoom()
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
  const self = testSigner('self')
  const fake = fakeNode(self.peerId)
  pubsub = fake.pubsub
  topic = presenceTopic(room.replica.log.room)
  service = new PresenceService(fake.node, {
    room: room.replica.log.room,
    self: { name: 'self', kind: 'human', role: 'reviewer' },
    members: memberPresence(() => room.replica.state),
    intervalMs: INTERVAL,
    now: () => Date.now(),
  })
  service.start()
})

afterEach(async () => {
  await service.stop()
  vi.useRealTimers()
})

describe('presence is authenticated by the room log', () => {
  it('lists a member under the key that signed its beat, with the name, kind and role of the log, whatever the beat claims', async () => {
    const mallory = await room.member('mallory', 'agent')
    deliver(mallory, { name: 'Owner', kind: 'relay', role: 'owner' })
    expect(rows()).toEqual([{ id: mallory.peerId, name: 'mallory', kind: 'agent', role: 'agent', status: 'alive' }])
    // The room's owner is the relay that signed its genesis: listed as one, by the log.
    deliver(room.owner, { name: 'not-the-relay', kind: 'human', role: 'reviewer' })
    expect(rows().find((r) => r.id === room.owner.peerId)).toMatchObject({ name: 'Owner', kind: 'relay', role: 'owner' })
  })

  it('drops beats from keys that never joined, and unsigned beats, so they are never listed', async () => {
    const alice = await room.member('alice', 'reviewer')
    for (let i = 0; i < 50; i++) deliver(testSigner(`minted-${i}`), { name: 'alice', kind: 'human', role: 'admin' })
    deliver(alice, { name: 'alice', kind: 'human', role: 'admin' }, { signed: false })
    expect(rows()).toEqual([])
    // Counted: the minted keys' beats (an unsigned message has no sender to count it against).
    expect(service.droppedBeats).toBe(50)
    deliver(alice, { name: 'alice', kind: 'human', role: 'admin' })
    expect(rows()).toEqual([{ id: alice.peerId, name: 'alice', kind: 'human', role: 'reviewer', status: 'alive' }])
  })

  it('shows a rename at once, and stops listing a member once it is revoked or has left (its later beats are dropped)', async () => {
    const alice = await room.member('alice', 'reviewer')
    const bob = await room.member('bob', 'agent')
    deliver(alice, { name: 'alice', kind: 'human', role: 'reviewer' })
    deliver(bob, { name: 'bob', kind: 'agent', role: 'agent' })
    await room.replica.author(alice, 'member.renamed', { displayName: 'Alice Martin' })
    expect(rows().map((r) => r.name)).toEqual(['Alice Martin', 'bob'])
    await room.replica.author(room.owner, 'member.revoked', { member: alice.peerId })
    await room.replica.author(bob, 'member.left', {})
    expect(rows()).toEqual([])
    vi.advanceTimersByTime(INTERVAL)
    deliver(alice, { name: 'alice', kind: 'human', role: 'reviewer' })
    deliver(bob, { name: 'bob', kind: 'agent', role: 'agent' })
    expect(rows()).toEqual([])
    expect(service.droppedBeats).toBe(2)
  })

  it('non-members cannot raise the partition banner; members going silent still do', async () => {
    const members = [await room.member('a', 'agent'), await room.member('b', 'agent'), await room.member('c', 'reviewer')]
    for (const m of members) deliver(m, { name: 'x', kind: 'agent', role: 'agent' })
    // Twenty minted identities beat once and fall silent, while the members keep beating.
    for (let i = 0; i < 20; i++) deliver(testSigner(`ghost-${i}`), { name: `ghost-${i}`, kind: 'human', role: 'reviewer' })
    for (let t = 0; t < 10; t++) {
      vi.advanceTimersByTime(INTERVAL)
      for (const m of members) deliver(m, { name: 'x', kind: 'agent', role: 'agent' })
    }
    const statuses = () => service.snapshot().peers.map((p) => p.status)
    expect(statuses()).toEqual(['alive', 'alive', 'alive'])
    expect(detectPartition(statuses()).partitioned).toBe(false)
    // Now two of the three members go silent: that is a partition.
    for (let t = 0; t < 4; t++) {
      vi.advanceTimersByTime(INTERVAL)
      deliver(members[0], { name: 'x', kind: 'agent', role: 'agent' })
    }
    expect(detectPartition(statuses()).partitioned).toBe(true)
  })
})
