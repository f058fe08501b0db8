/**
 * The browser EventStore: IndexedDB through `idb` (ADR 0032).
 *
 * Its own database (`chorus-mesh-events`), apart from the identity database `chorus-mesh`, so
 * the two evolve their versions independently. Each putMany is one readwrite transaction with
 * `durability: 'strict'` unless the caller asks for `'relaxed'`, and resolves on `tx.done`:
 * browsers default to relaxed durability, which may lose a "committed" write on power loss, so
 * an event this tab authored is written strictly; events received from peers may be written
 * relaxed (ADR 0067: the author and the relay hold them durably, and sync brings back what a
 * power loss took). All tabs of a browser share the database; puts are idempotent, so that is safe.
 * The events of one write are stored as numbered slabs (`idb-slabs.ts`, ADRs 0069, 0097): one
 * record per write and no index entry per event; which ids a room holds is learned from its
 * slabs (`idb-catalog.ts`).
 */
import { openDB, unwrap, type DBSchema, type IDBPDatabase } from 'idb'
import {
  StoreError,
  checkedBatch,
  collect,
  compareRecords,
  ownBytes,
  validateId,
  validateMeta,
  validateScan,
  type EventStore,
  type MetaValue,
  type PutOptions,
  type ScanOptions,
  type StoredRecord,
} from './event-store'
import { RoomCatalog } from './idb-catalog'
import { chunk, entries, firstOfEach, recordAt, toSlab, type Slab, type SlabEntry } from './idb-slabs'
import { toStoreError } from './idb-errors'
import { upgradeEventsDb } from './idb-upgrade'

/** Default IndexedDB database name of the event store. */
export const IDB_EVENTS_DB = 'chorus-mesh-events'
/** The IndexedDB schema version this build writes. */
export const IDB_SCHEMA_VERSION = 4

interface EventsDB extends DBSchema {
  roomSlabs: { key: [string, number]; value: Slab }
  meta: { key: [string, string]; value: { room: string; key: string; value: MetaValue } }
}

/** Options of {@link openIdbStore}. */
export interface IdbStoreInit {
  /** Database name (default {@link IDB_EVENTS_DB}); tests use one per case. */
  readonly name?: string
}

/** Slabs read per request while scanning: a bounded structured-clone read per task. */
const SCAN_SLABS = 16
/**
 * Writes in a row that find another connection's new slab in their place before this one gives
 * up: each retry has read every slab committed before it, so only another tab writing to the
 * room as fast as this one retries can exhaust it.
 */
const MAX_WRITE_ATTEMPTS = 16

/** Opens (creating or upgrading) the event database. */
export async function openIdbStore(init: IdbStoreInit = {}): Promise<EventStore> {
  const name = init.name ?? IDB_EVENTS_DB
  let store: IdbStore | undefined
  let upgradeFailed: unknown
  try {
    const db = await openDB<EventsDB>(name, IDB_SCHEMA_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // The caller hears of a failed upgrade from the open request; the transaction's own
        // promise is caught so that it is not an unhandled rejection besides.
        tx.done.catch(() => undefined)
        upgradeEventsDb(unwrap(db) as IDBDatabase, oldVersion, unwrap(tx) as IDBTransaction, (err) => {
          upgradeFailed = err
        })
      },
      // Another tab runs a newer build and wants to upgrade: step aside rather than block it.
      blocking() {
        store?.markClosed('another tab upgraded the event database; reload this tab')
      },
      terminated() {
        store?.markClosed('the browser closed the event database unexpectedly')
      },
    })
    store = new IdbStore(db, name)
    return store
  } catch (err) {
    throw toStoreError(upgradeFailed ?? err, name, upgradeFailed === undefined ? 'open' : 'upgrade')
  }
}

/** Asks the browser not to evict the origin's storage under pressure; true if granted. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.persist !== 'function') return false
  return (await navigator.storage.persisted()) || navigator.storage.persist()
}

class IdbStore implements EventStore {
  readonly #db: IDBPDatabase<EventsDB>
  readonly #name: string
  #closedBecause: string | undefined
  readonly #catalogs = new Map<string, RoomCatalog>()
  /** The last write queued: the next one starts after it settles. */
  #writes: Promise<unknown> = Promise.resolve()

  constructor(db: IDBPDatabase<EventsDB>, name: string) {
    this.#db = db
    this.#name = name
  }

  async putMany(room: string, input: readonly StoredRecord[], options?: PutOptions): Promise<number> {
    this.#open()
    const records = firstOfEach(checkedBatch(room, input))
    if (records.length === 0) return 0
    const durability = options?.durability === 'relaxed' ? 'relaxed' : 'strict'
    // One write at a time per connection (IndexedDB serialises them anyway): each is checked
    // against the ids the previous ones committed, so none needs a retry to learn them.
    const write = this.#writes.then(() => this.#run('putMany', () => this.#write(room, records, durability)))
    this.#writes = write.catch(() => undefined)
    return write
  }

  /** Writes the records not yet stored as the room's next slabs; see `idb-catalog.ts`. */
  async #write(room: string, records: readonly StoredRecord[], durability: 'strict' | 'relaxed'): Promise<number> {
    const catalog = this.#catalog(room)
    for (let attempt = 1; ; attempt++) {
      this.#open()
      const fresh = records.filter((r) => !catalog.ids.has(r.id))
      if (fresh.length === 0) return 0
      const slabs = chunk(fresh).map((run, i) => toSlab(room, catalog.through + 1 + i, run))
      const tx = this.#db.transaction('roomSlabs', 'readwrite', { durability })
      // Slab `through + 1` exists: another connection wrote to the room. The add fails, the
      // transaction aborts with nothing written, and the write goes again once the catalog
      // has learned what the other wrote.
      let taken = false
      try {
        const store = unwrap(tx.store)
        for (const slab of slabs) {
          store.add(slab).onerror = (event) => {
            taken ||= (event.target as IDBRequest).error?.name === 'ConstraintError'
          }
        }
      } catch (err) {
        // A request that throws synchronously must not leave the earlier ones to commit.
        tx.done.catch(() => {})
        tx.abort()
        throw err
      }
      try {
        await tx.done
      } catch (err) {
        if (!taken || attempt >= MAX_WRITE_ATTEMPTS) throw err
        await this.#catchUp(room)
        continue
      }
      catalog.learn(slabs)
      return fresh.length
    }
  }

  async has(room: string, id: string): Promise<boolean> {
    this.#open()
    return (await this.#catchUp(room)).ids.has(id)
  }

  async get(room: string, id: string): Promise<StoredRecord | undefined> {
    this.#open()
    const n = (await this.#catchUp(room)).ids.get(id)
    if (n === undefined) return undefined
    const slab = await this.#run('get', () => this.#db.get('roomSlabs', [room, n]))
    return slab && recordAt(slab, slab.ids.indexOf(id))
  }

  async loadAll(room: string): Promise<StoredRecord[]> {
    return collect(this.scan(room, { batchSize: 5000 }))
  }

  async *scan(room: string, options?: ScanOptions): AsyncIterable<StoredRecord[]> {
    this.#open()
    const size = validateScan(options)
    // Slabs hold events in the order they were written, so the (lamport, id) order is made
    // here: the room's slabs are read (a few per short transaction, none spans a yield), their
    // entries sorted, and bytes copied out one batch at a time.
    const all: SlabEntry[] = []
    await this.#readSlabs(room, 0, (slabs) => entries(slabs, all))
    all.sort(compareRecords)
    const cursor = options?.after
    let i = 0
    if (cursor !== undefined) while (i < all.length && compareRecords(all[i], cursor) <= 0) i++
    for (; i < all.length; i += size) {
      this.#open()
      yield all.slice(i, i + size).map((e) => recordAt(e.slab, e.at))
    }
  }

  async count(room: string): Promise<number> {
    this.#open()
    return (await this.#catchUp(room)).ids.size
  }

  async getMeta(room: string, key: string): Promise<MetaValue | undefined> {
    this.#open()
    return (await this.#run('getMeta', () => this.#db.get('meta', [room, key])))?.value
  }

  async setMeta(room: string, key: string, value: MetaValue): Promise<void> {
    this.#open()
    validateId('room', room)
    validateId('meta key', key)
    validateMeta(value)
    await this.#run('setMeta', async () => {
      const tx = this.#db.transaction('meta', 'readwrite', { durability: 'strict' })
      // The request's own failure also fails tx.done, which is what the caller sees; caught
      // here so that it is not an unhandled rejection besides.
      tx.store.put({ room, key, value: value instanceof Uint8Array ? cloneable(value) : value }).catch(() => undefined)
      await tx.done
    })
  }

  async deleteMeta(room: string, key: string): Promise<void> {
    this.#open()
    await this.#run('deleteMeta', () => this.#db.delete('meta', [room, key]))
  }

  async rooms(): Promise<string[]> {
    this.#open()
    return this.#run('rooms', async () => {
      const found = new Set<string>()
      const tx = this.#db.transaction(['roomSlabs', 'meta'], 'readonly')
      for (const name of ['roomSlabs', 'meta'] as const) {
        // One seek per distinct room: jump from [room, id] straight past [room, []].
        let cursor = await tx.objectStore(name).openKeyCursor()
        while (cursor) {
          const room = cursor.key[0]
          found.add(room)
          cursor = await cursor.continue([room, []] as unknown as [string, never])
        }
      }
      await tx.done
      return [...found].sort()
    })
  }

  async close(): Promise<void> {
    if (this.#closedBecause !== undefined) return
    this.#closedBecause = 'store is closed'
    this.#db.close()
  }

  /** Closes the connection because the browser or another tab needs it gone. */
  markClosed(because: string): void {
    if (this.#closedBecause !== undefined) return
    this.#closedBecause = because
    this.#db.close()
  }

  /** This connection's catalog of the room (empty until it reads or writes the room's slabs). */
  #catalog(room: string): RoomCatalog {
    let catalog = this.#catalogs.get(room)
    if (catalog === undefined) this.#catalogs.set(room, (catalog = new RoomCatalog()))
    return catalog
  }

  /** Learns the room's slabs committed after those this connection knows (by any connection). */
  async #catchUp(room: string): Promise<RoomCatalog> {
    const catalog = this.#catalog(room)
    await this.#readSlabs(room, catalog.through, () => undefined)
    return catalog
  }

  /**
   * Reads the room's slabs numbered above `after` in order, a few per short transaction (none
   * spans the caller's await), handing each page to `page` once the catalog has learned it.
   */
  async #readSlabs(room: string, after: number, page: (slabs: Slab[]) => void): Promise<void> {
    const catalog = this.#catalog(room)
    for (;;) {
      this.#open()
      const range = IDBKeyRange.bound([room, after], [room, []], true, false)
      const slabs = await this.#run('read', () => this.#db.getAll('roomSlabs', range, SCAN_SLABS))
      catalog.learn(slabs)
      page(slabs)
      if (slabs.length < SCAN_SLABS) return
      after = slabs[slabs.length - 1].n
    }
  }

  #open(): void {
    if (this.#closedBecause !== undefined) throw new StoreError('closed', `IndexedDB ${this.#name}: ${this.#closedBecause}`)
  }

  async #run<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (this.#closedBecause !== undefined && !(err instanceof StoreError)) {
        throw new StoreError('closed', `IndexedDB ${this.#name}: ${op} failed: ${this.#closedBecause}`, { cause: err })
      }
      throw toStoreError(err, this.#name, op)
    }
  }
}

/**
 * Bytes safe to hand to structured clone: a view into a larger buffer would store the whole
 * buffer, and a Node Buffer (tests) is usually a view into an 8 KiB pool.
 */
function cloneable(bytes: Uint8Array): Uint8Array {
  const plain = Object.getPrototypeOf(bytes) === Uint8Array.prototype
  return plain && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : ownBytes(bytes)
}
