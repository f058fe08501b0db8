/**
 * `chorus-mesh relay --join …`: before a relay serves anything it knows which room it serves.
 * A relay that already serves one (its store says so) keeps it, and only checks that its join
 * targets serve the same room — an error naming both when they do not. A relay with an empty
 * store (first start, or a wiped disk) never mints a room when told to join: it finds the room
 * through its targets, pulls the whole log from the relays over the sync protocol until a round
 * finds nothing left to exchange, redeems its invite (as a member with the `relay` capability)
 * unless its key is a member already, and marks the room served. All of this on a short-lived
 * client node with the relay's own key, so the relay then starts exactly as after a restart.
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { oneMessagePerWrite } from '../../net/ws-messages'
import { multiaddr } from '@multiformats/multiaddr'
import type { PrivateKey } from '@libp2p/interface'
import type { Signer } from '../../core/events/signer'
import { asEventId } from '../../core/ids'
import { guardDiscovery } from '../../net/announcer'
import { ensureMember } from '../../net/membership'
import { RELAY_CAPABILITY, type RelayRecord } from '../../net/relays/record'
import { directAddr } from '../../net/relays/pool'
import { RoomPeer } from '../../net/room-peer'
import { meshServices, type MeshServices } from '../../net/services'
import { roomTopics } from '../../net/topics'
import type { EventStore } from '../../storage/event-store'
import { SERVED_KEY } from '../room-bootstrap'
import { resolveRoom } from './targets'

export interface JoinInit {
  store: EventStore
  privateKey: PrivateKey
  signer: Signer
  /** Relay URLs or multiaddrs to find the room through. */
  targets: readonly string[]
  /** Invite to redeem when this key is not a member yet. */
  invite?: string
  /** Longest wait for the log to be pulled (ms). @default 5 min */
  catchUpMs?: number
  /** Progress and warnings for the operator. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
}

export interface JoinResult {
  room: string
  /** True when this start pulled the room into an empty store. */
  joinedNow: boolean
  /** The relays the targets named. */
  records: RelayRecord[]
}

/** The room a store is marked as serving, if any. */
export async function servedRoomOf(store: EventStore): Promise<string | undefined> {
  for (const room of await store.rooms()) if ((await store.getMeta(room, SERVED_KEY)) === 'yes') return room
  return undefined
}

/** See the module comment. */
export async function joinRoom(init: JoinInit): Promise<JoinResult> {
  const log = init.log ?? (() => undefined)
  const served = await servedRoomOf(init.store)
  const node = await clientNode(init.privateKey)
  try {
    if (served != null) {
      const resolved = await resolveRoom(init.targets, node).catch((err: Error) => {
        log('warn', `serving room ${served}; the --join relays could not be asked: ${err.message}`)
        return undefined
      })
      if (resolved && resolved.room !== served) {
        log('error', `the --join relay ${resolved.from} serves room ${resolved.room}, but this relay serves room ${served}: keeping ${served} (was that relay started with an empty data directory and no --join?)`)
        return { room: served, joinedNow: false, records: [] }
      }
      return { room: served, joinedNow: false, records: resolved?.records ?? [] }
    }
    const resolved = await resolveRoom(init.targets, node)
    log('info', `joining room ${resolved.room} through ${resolved.from}`)
    const peer = new RoomPeer({ node, room: asEventId(resolved.room), store: init.store, signer: init.signer })
    for (const topic of roomTopics(resolved.room)) node.services.pubsub.subscribe(topic)
    guardDiscovery(node.services.pubsub, resolved.room)
    await peer.start()
    try {
      const relays = await connect(node, resolved.records)
      if (relays.length === 0) throw new Error(`none of the room's relays could be dialled (${resolved.records.map((r) => r.peerId).join(', ')})`)
      const events = await catchUp(node, peer, resolved.records, init.catchUpMs ?? 5 * 60_000)
      log('info', `pulled ${events} events of room ${resolved.room}`)
      const outcome = await ensureMember(peer, { displayName: 'relay', kind: 'agent', capabilities: [RELAY_CAPABILITY], invite: init.invite })
      if (outcome.status !== 'member') throw new Error(`this relay's key is not a member of room ${resolved.room} and has no invite: pass --invite (an admin invite)`)
      if (outcome.role !== 'admin' && outcome.role !== 'owner') log('warn', `joined room ${resolved.room} as ${outcome.role}: it serves the room but cannot issue invites (use an admin invite)`)
      // The join must reach another relay before this node goes away.
      if (outcome.joinedNow && !(await pushToAll(node, peer, resolved.records))) throw new Error('could not hand this relay\'s join to any relay of the room')
      await init.store.setMeta(resolved.room, SERVED_KEY, 'yes')
      return { room: resolved.room, joinedNow: true, records: resolved.records }
    } finally {
      await peer.stop()
    }
  } finally {
    await node.stop()
  }
}

/** A client node with the relay's key: dials out only. */
async function clientNode(privateKey: PrivateKey): Promise<Libp2p<MeshServices>> {
  return createLibp2p({
    privateKey,
    addresses: { listen: [] },
    transports: [oneMessagePerWrite(webSockets()), tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    services: meshServices(),
  })
}

/** Dials every relay it can; returns the peer ids reached. */
async function connect(node: Libp2p, records: readonly RelayRecord[]): Promise<string[]> {
  const reached = await Promise.all(
    records.map(async (r) => {
      const addrs = r.addrs.filter(directAddr).map((a) => multiaddr(a))
      if (addrs.length === 0) return null
      try {
        await node.dial(addrs, { signal: AbortSignal.timeout(15_000) })
        return r.peerId
      } catch {
        return null
      }
    }),
  )
  return reached.filter((x): x is string => x != null)
}

/** A round that brings fewer new events than this ends the catch-up; the rest is live traffic. */
const LIVE_TAIL = 100

/**
 * Runs sync rounds with the relays until one brings (almost) nothing new — rounds are bounded,
 * so a large log takes several, and in a busy room the last events are live traffic that
 * gossip and later rounds deliver. Returns the events added; throws when the deadline passes.
 */
async function catchUp(node: Libp2p, peer: RoomPeer, records: readonly RelayRecord[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs
  const ids = new Set(records.map((r) => r.peerId))
  let added = 0
  for (;;) {
    const connected = node.getPeers().filter((p) => ids.has(p.toString()))
    if (connected.length === 0) await connect(node, records)
    for (const p of connected) {
      const r = await peer.sync.syncWith(p)
      if (!r) continue
      added += r.added
      if (r.equal || r.added < LIVE_TAIL) return added
    }
    if (Date.now() > deadline) throw new Error(`the room's log did not arrive within ${timeoutMs} ms (${added} events so far)`)
    // A relay answers about one round a second per peer (sync/service.ts): no faster than that.
    await new Promise((r) => setTimeout(r, 1000))
  }
}

/** Runs one round with every connected relay (our newest events go out); true if any succeeded. */
async function pushToAll(node: Libp2p, peer: RoomPeer, records: readonly RelayRecord[]): Promise<boolean> {
  const ids = new Set(records.map((r) => r.peerId))
  const rounds = await Promise.all(node.getPeers().filter((p) => ids.has(p.toString())).map((p) => peer.sync.syncWith(p)))
  return rounds.some((r) => r != null)
}
