import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Signer } from '../../core/events/signer'
import { testSigner } from '../../core/testing/ed25519'
import { replicaRoom, type ReplicaRoom } from '../../core/testing/replica'
import { presenceTopic } from '../topics'
import { encodeHeartbeat } from './message'
import type { PresenceService } from './service'
import { connectedNode, startPresence, type Validator } from './testing'

const INTERVAL = 1000
const RELAY = peerIdFromString(testSigner('relay').peerId)

let room: ReplicaRoom
let service: PresenceService
let validators: Map<string, Validator>
let pinged: string[]
let connected: PeerId[]
let silentAnswers: boolean

async function beat(from: Signer): Promise<void> {
  const topic = presenceTopic(room.replica.log.room)
  await validators.get(topic)!(RELAY, { topic, data: await encodeHeartbeat(from, room.replica.log.room, 'beat', { name: 'x', kind: 'agent', role: 'agent' }, Date.now()) })
}

/** Lets the tick's pings (promises) settle under fake timers. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

beforeEach(async () => {
  room = await replicaRoom()
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
  connected = []
  silentAnswers = true
  const self = testSigner('self')
  const fake = connectedNode(self.peerId, { peers: () => connected, rtt: 7.4, answers: () => silentAnswers })
  validators = fake.topicValidators
  pinged = fake.pinged
  service = startPresence(fake.node, room, self, { intervalMs: INTERVAL, me: { kind: 'relay', role: 'owner' } })
})

afterEach(async () => {
  await service.stop()
  vi.useRealTimers()
})

describe('presence probes only the peers whose beats are late', () => {
  it('never pings a member whose beats arrive, and shows the round-trip time the connection monitor measured', async () => {
    const members = [await room.member('a', 'agent'), await room.member('b', 'agent'), await room.member('c', 'agent')]
    connected = members.map((m) => peerIdFromString(m.peerId))
    for (let t = 0; t < 10; t++) {
      for (const m of members) await beat(m)
      vi.advanceTimersByTime(INTERVAL)
      await settle()
    }
    expect(pinged).toEqual([])
    expect(service.snapshot().peers.map((p) => [p.status, p.rttMs])).toEqual([
      ['alive', 7],
      ['alive', 7],
      ['alive', 7],
    ])
  })

  it('pings a connected member whose beats stopped, and its answers keep it alive; one that does not answer goes suspect, then dead', async () => {
    const quiet = await room.member('quiet', 'agent')
    const talking = await room.member('talking', 'agent')
    connected = [peerIdFromString(quiet.peerId), peerIdFromString(talking.peerId)]
    await beat(quiet)
    // The quiet member's gossip path breaks; its connection still answers pings.
    for (let t = 0; t < 12; t++) {
      await beat(talking)
      vi.advanceTimersByTime(INTERVAL)
      await settle()
    }
    const statusOf = (s: Signer) => service.snapshot().peers.find((p) => p.peerId === s.peerId)?.status
    expect(statusOf(quiet)).toBe('alive')
    expect(pinged.filter((p) => p === quiet.peerId).length).toBeGreaterThanOrEqual(4)
    expect(pinged).not.toContain(talking.peerId)
    // Now it stops answering as well.
    silentAnswers = false
    for (let t = 0; t < 4; t++) {
      await beat(talking)
      vi.advanceTimersByTime(INTERVAL)
      await settle()
    }
    expect(statusOf(quiet)).toBe('suspect')
    for (let t = 0; t < 12; t++) {
      await beat(talking)
      vi.advanceTimersByTime(INTERVAL)
      await settle()
    }
    expect(statusOf(quiet)).toBe('dead')
    expect(statusOf(talking)).toBe('alive')
  })
})
