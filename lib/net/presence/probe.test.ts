import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Signer } from '../../core/events/signer'
import { testSigner } from '../../core/testing/ed25519'
import { replicaRoom, type ReplicaRoom } from '../../core/testing/replica'
import { presenceTopic } from '../topics'
import { encodeHeartbeat } from './message'
import { memberPresence } from './members'
import { PresenceService, type PresenceNode } from './service'

const INTERVAL = 1000
const RELAY = peerIdFromString(testSigner('relay').peerId)

type Validator = (from: unknown, msg: { topic: string; data: Uint8Array }) => Promise<unknown>

/** A node connected directly to `peers`, whose connection monitor measured `rtt`; pings are counted and answered when `answers` says so. */
function connectedNode(self: string, peers: () => PeerId[], rtt: number, answers: (peer: string) => boolean) {
  const topicValidators = new Map<string, Validator>()
  const pubsub = Object.assign(new EventTarget(), { topicValidators, subscribe: () => {}, publish: async () => ({ recipients: [] }) })
  const pinged: string[] = []
  const node = Object.assign(new EventTarget(), {
    peerId: peerIdFromString(self),
    services: {
      pubsub,
      ping: {
        ping: async (peer: PeerId) => {
          pinged.push(peer.toString())
          if (!answers(peer.toString())) throw new Error('no answer')
          return 3
        },
      },
    },
    getConnections: (peer?: PeerId) => (peer != null && peers().some((p) => p.equals(peer)) ? [{ status: 'open', limits: undefined, rtt, remoteAddr: { toString: () => '/ip4/127.0.0.1/tcp/1/ws' } }] : []),
    getPeers: () => peers(),
  })
  return { node: node as unknown as PresenceNode, topicValidators, pinged }
}

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
  const fake = connectedNode(self.peerId, () => connected, 7.4, () => silentAnswers)
  validators = fake.topicValidators
  pinged = fake.pinged
  service = new PresenceService(fake.node, {
    signer: self,
    room: room.replica.log.room,
    self: { name: 'self', kind: 'relay', role: 'owner' },
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
