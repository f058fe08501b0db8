/** What a relay data directory holds, read and verified the way the relay loads it at start. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { RoomId } from '../../core/ids'
import { asEventId } from '../../core/ids'
import { libp2pVerifier, nativeSha256 } from '../../net/keys'
import { ReplicaHost } from '../../net/replica-host'
import type { EventStore } from '../../storage/event-store'
import { DEFAULT_SQLITE_FILE, openSqliteStore } from '../../storage/sqlite-store'

export interface DataDirSummary {
  room: string
  /** Events stored for the room. */
  events: number
  /** Stored events the replica admitted on replay (equal to `events` unless some fail to verify). */
  verified: number
  /** The folded state's digest: equal digests mean equal rooms. */
  digest: string
  /** Merkle root of the event set (the sync summary's). */
  root: string
}

/** The room the store serves (the relay marks it at creation), if any. */
export async function servedRoomOf(store: EventStore): Promise<RoomId | undefined> {
  for (const room of await store.rooms()) {
    if ((await store.getMeta(room, 'served')) === 'yes') return asEventId(room)
  }
  return undefined
}

/** A replica of `room` loaded from `store`, every event verified on the way. */
export async function loadReplica(store: EventStore, room: RoomId): Promise<ReplicaHost> {
  const host = new ReplicaHost({ room, store, verifier: libp2pVerifier(), sha256: nativeSha256() })
  await host.load()
  return host
}

/** Loads the served room of `dataDir` and summarizes it. */
export async function inspectDataDir(dataDir: string): Promise<DataDirSummary> {
  if (!existsSync(join(dataDir, DEFAULT_SQLITE_FILE))) throw new Error(`no relay data in ${dataDir} (no ${DEFAULT_SQLITE_FILE})`)
  const store = await openSqliteStore({ dataDir, writer: 'inline' })
  try {
    const room = await servedRoomOf(store)
    if (room == null) throw new Error(`${dataDir} serves no room yet`)
    const host = await loadReplica(store, room)
    return { room, events: await store.count(room), verified: host.replica.log.size, digest: host.replica.digest(), root: host.replica.summary().root }
  } finally {
    await store.close()
  }
}
