/**
 * A Node agent's place on the mesh: a libp2p node (WebSockets to the relay, TCP between Node
 * peers) kept connected to two relays, presence as an `agent`, and a full replica of the room
 * in SQLite under `<data>/agents/<name>/`. One of the two relays is in its gossip mesh, the other
 * a standby that takes over when the first goes (ADR 0029). An agent given `listen` addresses
 * announces them on the room's discovery topic and dials the other listening agents (ADR 0027),
 * so agents on one network keep meshing without a relay. The agent SDK and CLI build on this.
 */
import { join } from 'node:path'
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { asEventId } from '../../core/ids'
import type { Verifier } from '../../core/events/signer'
import { libp2pSigner } from '../../net/keys'
import { ensureMember, type JoinOutcome } from '../../net/membership'
import { PresenceService } from '../../net/presence/service'
import { authorityPresence } from '../../net/presence/members'
import { patientConnectionMonitor } from '../../net/relays/connections'
import { DirectDialer } from '../../net/relays/direct'
import { RelayStandby } from '../../net/relays/standby'
import type { RelayPool, RelayState, WrongRoom } from '../../net/relays/pool'
import type { RoomInfo } from '../../net/room-info'
import { RoomPeer } from '../../net/room-peer'
import { meshServices, type MeshServices } from '../../net/services'
import { signedDiscovery } from '../../net/discovery'
import { discoveryTopic, roomTopics } from '../../net/topics'
import { pathWebSockets } from '../../net/websockets'
import { openSqliteStore } from '../../storage/sqlite-store'
import { loadOrCreateKey } from '../identity'
import { isAgentMember, isRelayMember } from '../relay-mesh/authority'
import { locateRoom, startPeerRelays } from '../relay-mesh/locate'
import type { Patience } from '../relay-mesh/patient'
import { splitTargets } from '../relay-mesh/targets'

export interface MeshAgentOptions {
  name: string
  /** Relays' HTTP base URLs, e.g. http://127.0.0.1:7781 (several: comma-separated). */
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
  /** Wall clock for events' times (tests step it; budgets never read it). @default Date.now */
  now?: () => number
  onRelayState?: (state: RelayState) => void
  /** A relay serves another room (default: an error on stderr naming both rooms). */
  onWrongRoom?: (w: WrongRoom) => void
  /** Multiaddrs to listen on (TCP or WebSockets), so agents on one network can dial each other. */
  listen?: string[]
  /** With `listen`: how often the agent announces its addresses to the room (ms). @default 10000 */
  announceMs?: number
  /** How long a first start keeps asking a relay that does not answer in time (relay-mesh/patient.ts); `false` asks once. @default 60 s */
  startPatience?: Patience | false
  /** Checks members' presence beats (one verifier shared by the agents of a process checks each beat once). @default libp2pVerifier() */
  presenceVerifier?: Verifier
}

export interface MeshAgent {
  node: Libp2p<MeshServices>
  peer: RoomPeer
  presence: PresenceService
  room: RoomInfo
  /** The relays this agent keeps (two when the room has them). */
  relays: RelayPool
  /** Which of them is in the agent's gossip mesh; the other is a standby (ADR 0029). */
  standby: RelayStandby
  /** Dials the listening agents of the room it hears announce themselves, so agents mesh directly. */
  direct: DirectDialer
  /** Joins the room (redeeming the invite if needed); a guest can watch but not act. */
  join(): Promise<JoinOutcome>
  /** Stops; `goodbye: false` stops the node first, so peers see a crash (no presence `bye`). */
  stop(opts?: { goodbye?: boolean }): Promise<void>
}

/** Starts an agent on the relay's room: replica loaded, node started, relay being dialled. */
export async function startMeshAgent(opts: MeshAgentOptions): Promise<MeshAgent> {
  const safeName = opts.name.replace(/[^A-Za-z0-9_.-]/g, '_')
  const dir = join(opts.dataDir, 'agents', safeName)
  const privateKey = await loadOrCreateKey(join(dir, 'agent.key'))
  const store = await openSqliteStore({ dataDir: dir, synchronous: opts.synchronous })
  const urls = splitTargets(opts.relayUrl)
  const located = await locateRoom({ targets: urls, store, invite: opts.invite, patience: opts.startPatience }).catch(async (err: Error) => {
    await store.close()
    throw err
  })
  const room = located.info
  const listening = (opts.listen ?? []).length > 0
  // A relay whose beats stopped while the room's go on is preferred last (presence is made below).
  const standby: RelayStandby = new RelayStandby(room.room, { live: (id: string): boolean => !['suspect', 'dead', 'left'].includes(presence.statusVsRoom(id) ?? 'alive') })
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: opts.listen ?? [] },
    peerDiscovery: listening ? [signedDiscovery({ topic: discoveryTopic(room.room), interval: opts.announceMs ?? 10_000 })] : [],
    transports: [pathWebSockets(), tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    connectionMonitor: patientConnectionMonitor,
    services: meshServices({ room: room.room, gossip: standby.gossipOptions() }),
  })
  for (const topic of roomTopics(room.room)) node.services.pubsub.subscribe(topic)
  const peer = new RoomPeer({ node, room: asEventId(room.room), store, signer: libp2pSigner(privateKey), syncIntervalMs: opts.syncIntervalMs, now: opts.now })
  await peer.start()
  const presence = new PresenceService(node, {
    signer: peer.signer,
    ...(opts.presenceVerifier ? { verifier: opts.presenceVerifier } : {}),
    room: room.room,
    // From the authority index, as on a relay (ADR 0086): a beat arrives from every member every
    // interval, and a lookup in the fold would run the replay late events owe at each one.
    members: authorityPresence((id) => peer.host.replica.authority.member(id)),
    self: { name: opts.name, kind: 'agent', role: 'agent', root: peer.host.replica.summary().root },
    intervalMs: room.presenceIntervalMs,
  })
  presence.trackRoot(() => peer.host.replica.summary().root)
  const relays = startPeerRelays({
    node,
    room,
    store,
    seed: located.records,
    urls,
    // A known member without the relay capability is no relay, whatever it says.
    accept: (id) => !peer.host.replica.state.members.has(id as never) || isRelayMember(peer.host.replica.state, id),
    onState: opts.onRelayState,
    onWrongRoom: opts.onWrongRoom,
  })
  standby.start(relays, node.services.pubsub)
  // Every agent dials the listening agents it hears of; only a listening one announces itself.
  const direct = new DirectDialer(node, { pubsub: node.services.pubsub, topic: discoveryTopic(room.room), accept: (id) => isAgentMember(peer.host.replica.state, id), listening })
  direct.start()
  presence.start()
  return {
    node,
    peer,
    presence,
    room,
    relays,
    standby,
    direct,
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
      relays.stop()
      standby.stop()
      direct.stop()
      if (!goodbye) await node.stop()
      await presence.stop()
      await peer.stop()
      if (goodbye) await node.stop()
      await store.close()
    },
  }
}
