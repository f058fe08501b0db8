/**
 * The relays of one room find and keep each other: each relay answers RELAYS_PROTOCOL with its
 * own record and the relays it reached recently, keeps a connection to every other relay it
 * knows (a RelayPool with no limit), and remembers them in its store, so a relay that restarts
 * — even on a new address — dials its peers again and they learn where it is now. Tabs and
 * agents ask any relay and so learn all of them.
 */
import type { Libp2p } from '@libp2p/interface'
import { RelayPool, directAddr, type WrongRoom } from '../../net/relays/pool'
import { serveRelays } from '../../net/relays/protocol'
import { RELAYS_PROTOCOL, RELAYS_VERSION, relayRecordSchema, withPeerId, type RelayRecord } from '../../net/relays/record'
import type { EventStore } from '../../storage/event-store'

/** A relay lists another relay it reached within this long. */
const ADVERTISE_WITHIN_MS = 10 * 60_000
const CACHE_KEY = 'relays'

export interface RelayMeshInit {
  node: Libp2p
  room: string
  store: EventStore
  /** This relay's HTTP base URL as peers should use it. */
  http?: string
  /** Relays named by `--join` or found there. */
  seed?: RelayRecord[]
  onWrongRoom?: (w: WrongRoom) => void
}

export interface RelayMesh {
  /** This relay's own record. */
  self(): RelayRecord
  /** This relay first, then every relay of the room it reached recently. */
  records(): RelayRecord[]
  /** Relays this relay is connected to now. */
  connected(): string[]
  stop(): Promise<void>
}

/** Starts answering RELAYS_PROTOCOL and keeping the other relays; see the module comment. */
export async function startRelayMesh(init: RelayMeshInit): Promise<RelayMesh> {
  const { node, room, store } = init
  const cached = await loadCache(store, room)
  const pool = new RelayPool(node, {
    room,
    seed: [...(init.seed ?? []), ...cached],
    want: Number.POSITIVE_INFINITY,
    onChange: (records) => void store.setMeta(room, CACHE_KEY, JSON.stringify(records)).catch(() => undefined),
    onWrongRoom: init.onWrongRoom,
  })
  const self = (): RelayRecord => {
    const id = node.peerId.toString()
    const addrs = withPeerId(node.getMultiaddrs().map((a) => a.toString()).filter(directAddr), id)
    return { peerId: id, addrs, ...(init.http ? { http: init.http } : {}) }
  }
  const records = () => [self(), ...pool.recent(ADVERTISE_WITHIN_MS)]
  await serveRelays(node, () => ({ v: RELAYS_VERSION, room, relays: records() }))
  pool.start()
  return {
    self,
    records,
    connected: () => pool.connected(),
    async stop() {
      pool.stop()
      await node.unhandle(RELAYS_PROTOCOL).catch(() => undefined)
    },
  }
}

async function loadCache(store: EventStore, room: string): Promise<RelayRecord[]> {
  const raw = await store.getMeta(room, CACHE_KEY)
  if (typeof raw !== 'string') return []
  try {
    const parsed = relayRecordSchema.array().safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}
