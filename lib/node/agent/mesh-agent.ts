/**
 * A Node agent's place on the mesh: a libp2p node (WebSockets to the relay, TCP between Node
 * peers) kept connected to the relay, presence as an `agent`, and a full replica of the room
 * in SQLite under `<data>/agents/<name>/`. The agent SDK and CLI build on this.
 */
import { join } from 'node:path'
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { asEventId } from '../../core/ids'
import { libp2pSigner } from '../../net/keys'
import { ensureMember, type JoinOutcome } from '../../net/membership'
import { PresenceService } from '../../net/presence/service'
import { RelayKeeper, type RelayState } from '../../net/relay-keeper'
import { fetchRoomInfo, type RoomInfo } from '../../net/room-info'
import { RoomPeer } from '../../net/room-peer'
import { meshServices, type MeshServices } from '../../net/services'
import { roomTopics } from '../../net/topics'
import { pathWebSockets } from '../../net/websockets'
import { openSqliteStore } from '../../storage/sqlite-store'
import { loadOrCreateKey } from '../identity'

export interface MeshAgentOptions {
  name: string
  /** The relay's HTTP base URL, e.g. http://127.0.0.1:7781. */
  relayUrl: string
  dataDir: string
  /** Invite text; needed once, to join a room that is not open. */
  invite?: string
  capabilities?: string[]
  syncIntervalMs?: number
  /**
   * SQLite `synchronous` level of the agent's replica. `FULL` (default) fsyncs every write;
   * `NORMAL` survives a process crash but not a power cut — enough for demo agents, whose
   * events the relay archives, and far cheaper when many agents share one machine.
   */
  synchronous?: 'FULL' | 'NORMAL'
  onRelayState?: (state: RelayState) => void
}

export interface MeshAgent {
  node: Libp2p<MeshServices>
  peer: RoomPeer
  presence: PresenceService
  room: RoomInfo
  /** Joins the room (redeeming the invite if needed); a guest can watch but not act. */
  join(): Promise<JoinOutcome>
  /** Stops; `goodbye: false` stops the node first, so peers see a crash (no presence `bye`). */
  stop(opts?: { goodbye?: boolean }): Promise<void>
}

/**
 * The relay's room info, tried a few times: right after a relay restart a pooled keep-alive
 * socket to the old process fails once ("fetch failed") before a fresh one is opened.
 */
async function roomInfoWithRetry(url: string, attempts = 4): Promise<RoomInfo> {
  for (let i = 1; ; i++) {
    try {
      return await fetchRoomInfo(url, 5000, { token: process.env.CHORUS_API_TOKEN })
    } catch (err) {
      if (i >= attempts) throw err
      await new Promise((r) => setTimeout(r, 250 * i))
    }
  }
}

/** Starts an agent on the relay's room: replica loaded, node started, relay being dialled. */
export async function startMeshAgent(opts: MeshAgentOptions): Promise<MeshAgent> {
  const room = await roomInfoWithRetry(opts.relayUrl)
  const safeName = opts.name.replace(/[^A-Za-z0-9_.-]/g, '_')
  const dir = join(opts.dataDir, 'agents', safeName)
  const privateKey = await loadOrCreateKey(join(dir, 'agent.key'))
  const store = await openSqliteStore({ dataDir: dir, synchronous: opts.synchronous })
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: [] },
    transports: [pathWebSockets(), tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    services: meshServices({ room: room.room }),
  })
  for (const topic of roomTopics(room.room)) node.services.pubsub.subscribe(topic)
  const peer = new RoomPeer({ node, room: asEventId(room.room), store, signer: libp2pSigner(privateKey), syncIntervalMs: opts.syncIntervalMs })
  await peer.start()
  const keeper = new RelayKeeper(node, {
    addrs: async () => (await fetchRoomInfo(opts.relayUrl, 2000, { token: process.env.CHORUS_API_TOKEN }).catch(() => room)).relay.addrs,
    onState: opts.onRelayState,
  })
  const presence = new PresenceService(node, {
    room: room.room,
    self: { name: opts.name, kind: 'agent', role: 'agent', root: peer.host.replica.summary().root },
    intervalMs: room.presenceIntervalMs,
  })
  presence.trackRoot(() => peer.host.replica.summary().root)
  keeper.start()
  presence.start()
  return {
    node,
    peer,
    presence,
    room,
    async join() {
      const outcome = await ensureMember(peer, {
        displayName: opts.name,
        kind: 'agent',
        capabilities: opts.capabilities ?? ['planner'],
        invite: opts.invite,
      })
      if (outcome.status === 'member') presence.update({ role: outcome.role })
      return outcome
    },
    async stop({ goodbye = true } = {}) {
      keeper.stop()
      if (!goodbye) await node.stop()
      await presence.stop()
      await peer.stop()
      if (goodbye) await node.stop()
      await store.close()
    },
  }
}
