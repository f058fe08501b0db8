import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Signer } from '../../core/events/signer'
import { testSigner } from '../../core/testing/ed25519'
import { replicaRoom, type ReplicaRoom } from '../../core/testing/replica'
import { presenceTopic } from '../topics'
import { decodeHeartbeat, encodeHeartbeat, type Heartbeat } from './message'
import { PresenceService } from './service'
import { memberPresence } from './members'
import { connectedNode } from './testing'

const INTERVAL = 1000
const RELAY = peerIdFromString(testSigner('relay').peerId)

let service: PresenceService | undefined

afterEach(async () => {
  await service?.stop()
  service = undefined
  vi.useRealTimers()
})

/** A started presence service whose published beats are collected, with `members` members beating to it. */
async function pacedRoom(kind: 'agent' | 'relay', members: number) {
  const room: ReplicaRoom = await replicaRoom()
  const others: Signer[] = []
  for (let i = 0; i < members; i++) others.push(await room.member(`m${i}`, 'agent'))
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
  const self = testSigner('self')
  const fake = connectedNode(self.peerId)
  const sent: Heartbeat[] = []
  const pubsub = fake.node.services.pubsub as unknown as { publish: (topic: string, data: Uint8Array) => Promise<unknown> }
  pubsub.publish = async (_topic, data) => {
    const h = decodeHeartbeat(room.replica.log.room, data)
    if (h) sent.push(h.beat)
    return { recipients: [] }
  }
  const s = new PresenceService(fake.node, {
    signer: self,
    room: room.replica.log.room,
    self: { name: 'self', kind, role: kind === 'relay' ? 'owner' : 'agent' },
    members: memberPresence(() => room.replica.state),
    intervalMs: INTERVAL,
    // 30 peers heard at 100 ms each: one beat per 3 room intervals.
    pace: { msPerPeer: 100 },
    now: () => Date.now(),
  })
  service = s
  s.start()
  const topic = presenceTopic(room.replica.log.room)
  /** Every member beats once, naming `every` (ms) as its pace. */
  const beatAll = async (every?: number) => {
    for (const m of others) await fake.topicValidators.get(topic)!(RELAY, { topic, data: await encodeHeartbeat(m, room.replica.log.room, 'beat', { name: 'x', kind: 'agent', role: 'agent' }, Date.now(), every) })
  }
  return { service: s, sent, beatAll }
}

describe('presence paces its beats by the size of the room', () => {
  it('beats once per three room intervals among 29 others, and says so in each beat', async () => {
    const { service: s, sent, beatAll } = await pacedRoom('agent', 29)
    await beatAll()
    // Thirty room intervals, the others beating at their own paced interval (every third).
    for (let t = 1; t <= 30; t++) {
      await vi.advanceTimersByTimeAsync(INTERVAL)
      if (t % 3 === 0) await beatAll(3 * INTERVAL)
    }
    const beats = sent.filter((b) => b.type === 'beat')
    // The start's beat (alone: the room's interval), then one every third tick.
    expect(beats.length).toBe(11)
    expect(beats.slice(1).map((b) => b.every)).toEqual(new Array(10).fill(3 * INTERVAL))
    expect(s.paceMs).toBe(3 * INTERVAL)
    // The others, beating every third interval as their beats said, are never suspected.
    expect(s.snapshot().peers.map((p) => p.status)).toEqual(new Array(29).fill('alive'))
  })

  it('keeps a relay at the room interval whatever the room size', async () => {
    const { service: s, sent, beatAll } = await pacedRoom('relay', 29)
    for (let t = 1; t <= 9; t++) {
      await beatAll()
      await vi.advanceTimersByTimeAsync(INTERVAL)
    }
    expect(sent.filter((b) => b.type === 'beat').length).toBe(10)
    expect(sent.every((b) => b.every == null)).toBe(true)
    expect(s.paceMs).toBe(INTERVAL)
  })

  it('suspects a paced peer after three of its own intervals of silence, not three of the room', async () => {
    const { service: s, beatAll } = await pacedRoom('agent', 29)
    await beatAll()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    await beatAll(3 * INTERVAL)
    const statuses = () => new Set(s.snapshot().peers.map((p) => p.status))
    await vi.advanceTimersByTimeAsync(8 * INTERVAL)
    expect(statuses()).toEqual(new Set(['alive']))
    await vi.advanceTimersByTimeAsync(2 * INTERVAL)
    expect(statuses()).toEqual(new Set(['suspect']))
  })

  it('believes an announced pace only up to twice what the room, as it hears it, calls for', async () => {
    // Three others at 100 ms each: the room's own interval; a 30 s announcement counts as 2 s.
    const { service: s, beatAll } = await pacedRoom('agent', 3)
    await beatAll()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    await beatAll(30 * INTERVAL)
    const statuses = () => s.snapshot().peers.map((p) => p.status)
    await vi.advanceTimersByTimeAsync(5 * INTERVAL)
    expect(statuses()).toEqual(['alive', 'alive', 'alive'])
    await vi.advanceTimersByTimeAsync(2 * INTERVAL)
    expect(statuses()).toEqual(['suspect', 'suspect', 'suspect'])
  })
})
