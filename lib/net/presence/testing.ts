/**
 * Test support for the presence service: a node that is just enough of libp2p (beats are handed
 * to the topic's validator by the test) and a service on it for a test room.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import type { Signer, Verifier } from '../../core/events/signer'
import type { ReplicaRoom } from '../../core/testing/replica'
import { memberPresence } from './members'
import { PresenceService, type MemberInfo, type PresenceNode } from './service'

export type Validator = (from: unknown, msg: { topic: string; data: Uint8Array }) => Promise<unknown>

/**
 * A node connected directly to `peers` (none by default), whose connection monitor measured
 * `rtt`; pings are counted in `pinged` and answered when `answers` says so.
 */
export function connectedNode(self: string, opts: { peers?: () => PeerId[]; rtt?: number; answers?: (peer: string) => boolean } = {}) {
  const peers = opts.peers ?? (() => [])
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
          if (opts.answers?.(peer.toString()) !== true) throw new Error('no answer')
          return 3
        },
      },
    },
    getConnections: (peer?: PeerId) => (peer != null && peers().some((p) => p.equals(peer)) ? [{ status: 'open', limits: undefined, rtt: opts.rtt, remoteAddr: { toString: () => '/ip4/127.0.0.1/tcp/1/ws' } }] : []),
    getPeers: () => peers(),
  })
  return { node: node as unknown as PresenceNode, topicValidators, pinged }
}

/** A started presence service of `self` on `node` for `room`, whose members the room's log says. */
export function startPresence(node: PresenceNode, room: ReplicaRoom, self: Signer, opts: { intervalMs: number; me: Pick<MemberInfo, 'kind' | 'role'>; verifier?: Verifier; forwardWindowMs?: number }): PresenceService {
  const service = new PresenceService(node, {
    signer: self,
    ...(opts.verifier ? { verifier: opts.verifier } : {}),
    room: room.replica.log.room,
    self: { name: 'self', ...opts.me },
    members: memberPresence(() => room.replica.state),
    intervalMs: opts.intervalMs,
    forwardWindowMs: opts.forwardWindowMs,
    now: () => Date.now(),
  })
  service.start()
  return service
}
