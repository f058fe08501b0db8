/**
 * The libp2p node of one browser tab (docs/design.md §4): WebSockets to the
 * relay, a circuit-relay reservation so other tabs can reach it, and direct WebRTC between
 * tabs with the relay only signalling. Created by the client provider, never at module level.
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { webRTC } from '@libp2p/webrtc'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import type { IceServer } from './room-info'
import { signedDiscovery } from './discovery'
import { meshServices, type MeshServices } from './services'
import { acceptHttpPath, pathWebRTC, pathWebSockets } from './websockets'
import { tabGossip } from './tab-gossip'
import { discoveryTopic } from './topics'

export interface BrowserNodeInit {
  privateKey: PrivateKey
  room: string
  /** How often this tab announces its addresses on the discovery topic (ms). */
  discoveryIntervalMs?: number
  /** STUN/TURN servers from the room info; none means host candidates only (same network). */
  iceServers?: IceServer[]
  /**
   * The relays serving this tab now: while any does, the tab is a leaf of the room's gossip and
   * its other peers stay out of its mesh (tab-gossip.ts). @default none (every peer a mesh peer)
   */
  relays?: () => readonly string[]
  /** gossipsub's message ids (tab-message-id.ts). @default `meshMessageId` (services.ts) */
  msgIdFn?: GossipsubOpts['msgIdFn']
}

export type BrowserNode = Libp2p<MeshServices>

/** Creates and starts a tab's node; the caller dials the relay (see RelayPool). */
export async function createBrowserNode(init: BrowserNodeInit): Promise<BrowserNode> {
  return createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: ['/p2p-circuit', '/webrtc'] },
    transports: [
      pathWebSockets(),
      // Only the relay's configured STUN/TURN servers: a public default would leak every
      // tab's address to a third party and fail on networks without Internet access.
      pathWebRTC(webRTC({ rtcConfiguration: { iceServers: init.iceServers ?? [] } })),
      acceptHttpPath(circuitRelayTransport({ reservationCompletionTimeout: 10_000 })),
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The default browser gater refuses ws:// and loopback addresses, which is exactly where
    // the relay is on a developer's machine.
    connectionGater: { denyDialMultiaddr: () => false },
    peerDiscovery: [
      signedDiscovery({ topic: discoveryTopic(init.room), interval: init.discoveryIntervalMs ?? 2000 }),
    ],
    services: meshServices({ room: init.room, gossip: { ...tabGossip(init.room, init.relays ?? (() => [])), ...(init.msgIdFn != null ? { msgIdFn: init.msgIdFn } : {}) } }),
  })
}
