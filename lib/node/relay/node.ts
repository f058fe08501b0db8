/**
 * The relay's libp2p node (DESIGN §4, NOTES-libp2p "Relay"): a WebSockets listener, a
 * circuit-relay-v2 server for the tabs' reservations, and a full gossipsub peer subscribed to
 * the room's topics so it forwards between tabs that are not yet directly connected.
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import type { PrivateKey } from '@libp2p/interface'
import { meshServices, type MeshServices } from '../../net/services'
import { roomTopics } from '../../net/topics'

export interface RelayNodeInit {
  privateKey: PrivateKey
  room: string
  host: string
  /** WebSockets port for tabs and agents. */
  port: number
  /** Optional TCP port for Node peers; 0 picks one, undefined disables TCP. */
  tcpPort?: number
  /** Addresses to announce instead of the listen addresses (behind a proxy …). */
  announce?: string[]
  maxReservations?: number
}

export type RelayNode = Libp2p<MeshServices & { relay: CircuitRelayService }>

/** Creates and starts the relay node, subscribed to every room topic. */
export async function createRelayNode(init: RelayNodeInit): Promise<RelayNode> {
  const listen = [`/ip4/${init.host}/tcp/${init.port}/ws`]
  if (init.tcpPort != null) listen.push(`/ip4/${init.host}/tcp/${init.tcpPort}`)
  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen, announce: init.announce },
    transports: [webSockets(), tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Loopback and private addresses are the normal case for a relay on a developer machine.
    connectionGater: { denyDialMultiaddr: () => false },
    connectionManager: { maxConnections: 1000 },
    services: {
      ...meshServices({ room: init.room, hub: true }),
      relay: circuitRelayServer({
        reservations: { maxReservations: init.maxReservations ?? 1000 },
      }),
    },
  })
  for (const topic of roomTopics(init.room)) node.services.pubsub.subscribe(topic)
  return node
}
