/**
 * A Node agent's place on the mesh: a libp2p node (WebSockets to the relay, TCP between Node
 * peers), kept connected to the relay, beating presence as an `agent`. The agent SDK and CLI
 * build on this; it knows nothing of tasks or sessions.
 */
import { join } from 'node:path'
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { PresenceService } from '../../net/presence/service'
import { RelayKeeper, type RelayState } from '../../net/relay-keeper'
import { meshServices, type MeshServices } from '../../net/services'
import { roomTopics } from '../../net/topics'
import { loadOrCreateKey } from '../identity'
import { fetchRoomInfo } from '../room-info'
import type { RoomInfo } from '../relay/http'

export interface MeshAgentOptions {
  name: string
  /** The relay's HTTP base URL, e.g. http://127.0.0.1:7781. */
  relayUrl: string
  dataDir: string
  onRelayState?: (state: RelayState) => void
}

export interface MeshAgent {
  node: Libp2p<MeshServices>
  presence: PresenceService
  room: RoomInfo
  stop(): Promise<void>
}

/** Joins the relay's room as an agent; resolves once the node is started (the dial goes on in the background). */
export async function startMeshAgent(opts: MeshAgentOptions): Promise<MeshAgent> {
  const room = await fetchRoomInfo(opts.relayUrl)
  const safeName = opts.name.replace(/[^A-Za-z0-9_.-]/g, '_')
  const privateKey = await loadOrCreateKey(join(opts.dataDir, 'agents', `${safeName}.key`))
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: [] },
    transports: [webSockets(), tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    services: meshServices(),
  })
  for (const topic of roomTopics(room.room)) node.services.pubsub.subscribe(topic)
  const keeper = new RelayKeeper(node, {
    addrs: async () => (await fetchRoomInfo(opts.relayUrl, 2000).catch(() => room)).relay.addrs,
    onState: opts.onRelayState,
  })
  const presence = new PresenceService(node, {
    room: room.room,
    self: { name: opts.name, kind: 'agent', role: 'agent' },
    intervalMs: room.presenceIntervalMs,
  })
  keeper.start()
  presence.start()
  return {
    node,
    presence,
    room,
    async stop() {
      keeper.stop()
      await presence.stop()
      await node.stop()
    },
  }
}
