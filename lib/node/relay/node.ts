/**
 * The relay's libp2p node (DESIGN §4): a WebSockets listener (plain, or TLS when the relay
 * holds a certificate), a circuit-relay-v2 server for the tabs' reservations, and a full
 * gossipsub peer subscribed to the room's topics so it forwards between tabs that are not yet
 * directly connected.
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import type { ConnectionGater, PrivateKey } from '@libp2p/interface'
import { patientConnectionMonitor, relayInboundLimits } from '../../net/relays/connections'
import { meshServices, type MeshServices } from '../../net/services'
import { roomTopics } from '../../net/topics'
import { oneMessagePerWrite } from '../../net/ws-messages'

export interface RelayNodeInit {
  privateKey: PrivateKey
  room: string
  host: string
  /** WebSockets port for tabs and agents. */
  port: number
  /** Optional TCP port for Node peers; 0 picks one, undefined disables TCP. */
  tcpPort?: number
  /** Addresses to advertise instead of the listen addresses (a public name, a proxy …). */
  announce?: string[]
  /** PEM certificate and key: the WebSockets listener speaks TLS (`/tls/ws`). */
  tls?: { cert: Buffer; key: Buffer }
  maxReservations?: number
  /** Decides who may hold a circuit-relay reservation (see reservations.ts). */
  gater?: Pick<ConnectionGater, 'denyInboundRelayReservation'>
}

export type RelayNode = Libp2p<MeshServices & { relay: CircuitRelayService }>

/** The multiaddr the WebSockets listener binds (an IPv6 host gets `/ip6`). */
export function wsListenAddr(host: string, port: number, tls: boolean): string {
  return `/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}/${tls ? 'tls/ws' : 'ws'}`
}

/** Creates and starts the relay node, subscribed to every room topic. */
export async function createRelayNode(init: RelayNodeInit): Promise<RelayNode> {
  const listen = [wsListenAddr(init.host, init.port, init.tls != null)]
  if (init.tcpPort != null) listen.push(`/${init.host.includes(':') ? 'ip6' : 'ip4'}/${init.host}/tcp/${init.tcpPort}`)
  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen, announce: init.announce?.length ? init.announce : undefined },
    transports: [oneMessagePerWrite(webSockets(init.tls ? { https: { cert: init.tls.cert, key: init.tls.key } } : {})), tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: {
      // Loopback and private addresses are the normal case for a relay on a developer machine.
      denyDialMultiaddr: () => false,
      ...init.gater,
    },
    connectionManager: { maxConnections: 1000, ...relayInboundLimits },
    connectionMonitor: patientConnectionMonitor,
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
