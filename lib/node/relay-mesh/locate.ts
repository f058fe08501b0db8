/**
 * How a Node peer (an agent) finds its room and keeps its relays. Its replica pins the room: a
 * relay that now serves another room — restarted with an empty disk, say — is reported with
 * both room ids and not followed, unless the peer was given an invite to that other room (an
 * explicit move). The room info and the relays list are cached in the replica's store, so an
 * agent whose relays are all unreachable still starts in its room and keeps dialling them, and
 * one whose first relay is gone starts from another.
 */
import type { Libp2p } from '@libp2p/interface'
import { decodeInviteText } from '../../core/events/invite-link'
import { RelayPool, directAddr, wrongRoomMessage, type RelayState, type WrongRoom } from '../../net/relays/pool'
import { relayRecordSchema, type RelayRecord } from '../../net/relays/record'
import { roomInfoSchema, type RoomInfo } from '../../net/room-info'
import type { EventStore } from '../../storage/event-store'
import { resolveRoomPatiently, type Patience } from './patient'
import { recordsOf, resolveRoom } from './targets'

const INFO_KEY = 'room-info'
const RELAYS_KEY = 'relays'

export interface LocatedRoom {
  info: RoomInfo
  /** Relays to start from: the answer's, then the cached ones. */
  records: RelayRecord[]
  /** False when no relay answered and the cached room info was used. */
  online: boolean
}

export interface LocateInit {
  /** Relay HTTP URLs (or multiaddrs, with a node) to ask, in order. */
  targets: readonly string[]
  store: EventStore
  /** The invite this start redeems, if any: its room is where the peer means to be. */
  invite?: string
  log?: (level: 'warn' | 'error', message: string) => void
  /**
   * How long a first start (nothing cached) keeps asking a relay that times out or drops the
   * connection; `false` asks once. A start with a cached room asks once and starts from the cache.
   */
  patience?: Patience | false
}

/** See the module comment; throws only when no relay answers and nothing is cached. */
export async function locateRoom(init: LocateInit): Promise<LocatedRoom> {
  const log = init.log ?? ((_level, m) => console.error(m))
  const pinned = (await init.store.rooms())[0]
  const cache = pinned != null ? await readCache(init.store, pinned) : { records: [] }
  const cachedUrls = cache.records.flatMap((r) => (r.http ? [r.http] : []))
  const targets = [...new Set([...init.targets, ...cachedUrls])]
  // Without a cached room there is nothing to start from: wait for a busy relay (patient.ts).
  const patient = init.patience !== false && !(pinned != null && cache.info)
  const ask = patient ? resolveRoomPatiently(targets, init.patience || {}, (m) => log('warn', m)) : resolveRoom(targets)
  const answer = await ask.catch((err: Error) => err)
  const inviteRoom = init.invite ? decodeInviteText(init.invite)?.room : undefined
  if (!(answer instanceof Error) && answer.info && (pinned == null || answer.room === pinned || inviteRoom === answer.room)) {
    if (pinned != null && answer.room !== pinned) log('warn', `moving from room ${pinned} to room ${answer.room}: the invite is for it`)
    const records = dedupe([...answer.records, ...(answer.room === pinned ? cache.records : [])])
    await writeCache(init.store, answer.room, answer.info, records)
    return { info: answer.info, records, online: true }
  }
  if (!(answer instanceof Error) && pinned != null) {
    log('error', wrongRoomMessage({ relay: answer.records[0]?.peerId ?? 'unknown', room: answer.room, ours: pinned, via: answer.from }))
    // Another relay of our room may still answer.
    const ours = await resolveRoom(cachedUrls.filter((u) => u !== answer.from)).catch(() => undefined)
    if (ours?.info && ours.room === pinned) return { info: ours.info, records: dedupe([...ours.records, ...cache.records]), online: true }
  }
  if (pinned != null && cache.info) {
    if (answer instanceof Error) log('warn', `starting in room ${pinned} from the cached relays list: ${answer.message}`)
    return { info: cache.info, records: cache.records, online: false }
  }
  throw answer instanceof Error ? answer : new Error(wrongRoomMessage({ relay: answer.records[0]?.peerId ?? 'unknown', room: answer.room, ours: pinned ?? 'none', via: answer.from }))
}

export interface PeerRelaysInit {
  node: Libp2p
  room: RoomInfo
  store: EventStore
  seed: RelayRecord[]
  /** Relay URLs to ask over HTTP when too few relays are connected. */
  urls: readonly string[]
  /** @default 2 */
  want?: number
  accept?: (peerId: string) => boolean
  onState?: (state: RelayState) => void
  onWrongRoom?: (w: WrongRoom) => void
}

/** Starts a RelayPool for a Node peer, caching what it learns in the store. */
export function startPeerRelays(init: PeerRelaysInit): RelayPool {
  const room = init.room.room
  const urls = () => [...new Set([...init.urls, ...pool.records().flatMap((r) => (r.http ? [r.http] : []))])]
  const pool: RelayPool = new RelayPool(init.node, {
    room,
    seed: init.seed,
    want: init.want ?? 2,
    dialable: directAddr,
    accept: init.accept,
    onChange: (records) => void writeCache(init.store, room, undefined, records).catch(() => undefined),
    onState: (state) => init.onState?.(state),
    onWrongRoom: init.onWrongRoom ?? ((w) => console.error(wrongRoomMessage(w))),
    fallback: async () => {
      const r = await resolveRoom(urls())
      return { room: r.room, records: r.info ? recordsOf(r.info, r.from) : r.records, from: r.from }
    },
  })
  pool.start()
  return pool
}

async function readCache(store: EventStore, room: string): Promise<{ info?: RoomInfo; records: RelayRecord[] }> {
  const parse = <T>(raw: unknown, schema: { safeParse(v: unknown): { success: boolean; data?: T } }): T | undefined => {
    if (typeof raw !== 'string') return undefined
    try {
      const r = schema.safeParse(JSON.parse(raw))
      return r.success ? r.data : undefined
    } catch {
      return undefined
    }
  }
  return {
    info: parse(await store.getMeta(room, INFO_KEY), roomInfoSchema),
    records: parse(await store.getMeta(room, RELAYS_KEY), relayRecordSchema.array()) ?? [],
  }
}

async function writeCache(store: EventStore, room: string, info: RoomInfo | undefined, records: RelayRecord[]): Promise<void> {
  if (info) await store.setMeta(room, INFO_KEY, JSON.stringify(info))
  await store.setMeta(room, RELAYS_KEY, JSON.stringify(records))
}

function dedupe(records: RelayRecord[]): RelayRecord[] {
  const seen = new Set<string>()
  return records.filter((r) => !seen.has(r.peerId) && seen.add(r.peerId))
}
