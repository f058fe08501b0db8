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
 * The events of one write are stored as slabs (`idb-slabs.ts`, ADR 0069): one record per write
 * rather than per event, every id still found through a unique index.
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
import { chunk, entries, firstOfEach, idKey, recordAt, roomIdRange, toSlab, type Slab, type SlabEntry } from './idb-slabs'
import { upgradeEventsDb } from './idb-upgrade'

/** Default IndexedDB database name of the event store. */
export const IDB_EVENTS_DB = 'chorus-mesh-events'
/** The IndexedDB schema version this build writes. */
export const IDB_SCHEMA_VERSION = 3

interface EventsDB extends DBSchema {
  slabs: { key: [string, string]; value: Slab; indexes: { ids: string } }
  meta: { key: [string, string]; value: { room: string; key: string; value: MetaValue } }
}

/** Options of {@link openIdbStore}. */
export interface IdbStoreInit {
  /** Database name (default {@link IDB_EVENTS_DB}); tests use one per case. */
  readonly name?: string
}

/** Slabs read per request while scanning: a bounded structured-clone read per task. */
const SCAN_SLABS = 16

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

/** All keys of a room: [room] sorts before [room, x] and [room, []] after it (arrays sort last). */
function roomRange(room: string): IDBKeyRange {
  return IDBKeyRange.bound([room], [room, []])
}

class IdbStore implements EventStore {
  readonly #db: IDBPDatabase<EventsDB>
  readonly #name: string
  #closedBecause: string | undefined

  constructor(db: IDBPDatabase<EventsDB>, name: string) {
    this.#db = db
    this.#name = name
  }

  async putMany(room: string, input: readonly StoredRecord[], options?: PutOptions): Promise<number> {
    this.#open()
    const records = firstOfEach(checkedBatch(room, input))
    if (records.length === 0) return 0
    const durability = options?.durability === 'relaxed' ? 'relaxed' : 'strict'
    return this.#run('putMany', async () => {
      const tx = this.#db.transaction('slabs', 'readwrite', { durability })
      // Raw requests, one per slab. A slab holding an id that is already stored fails as a
      // whole (the `ids` index is unique); then this transaction asks the index which of its
      // ids are new and writes those — rare (another tab of this browser wrote the same
      // events, or a re-put), so the common write costs one request per slab.
      const slabs = unwrap(tx.store)
      const ids = slabs.index('ids')
      let added = 0
      const write = (run: StoredRecord[], retry: boolean) => {
        const req = slabs.add(toSlab(room, run))
        req.onsuccess = () => {
          added += run.length
        }
        req.onerror = (event) => {
          if (!retry || req.error?.name !== 'ConstraintError') return
          event.preventDefault()
          event.stopPropagation()
          const fresh: (StoredRecord | undefined)[] = new Array(run.length)
          let pending = run.length
          run.forEach((r, i) => {
            const q = ids.getKey(idKey(room, r.id))
            q.onsuccess = () => {
              if (q.result === undefined) fresh[i] = r
              if (--pending > 0) return
              const rest = fresh.filter((x): x is StoredRecord => x !== undefined)
              // None of these ids is stored, so neither is a slab keyed by the first of them.
              if (rest.length > 0) write(rest, false)
            }
          })
        }
      }
      try {
        for (const run of chunk(records)) write(run, true)
      } catch (err) {
        // A request that throws synchronously must not leave the earlier ones to commit.
        tx.done.catch(() => {})
        tx.abort()
        throw err
      }
      await tx.done
      return added
    })
  }

  async has(room: string, id: string): Promise<boolean> {
    this.#open()
    return this.#run('has', async () => (await this.#db.getKeyFromIndex('slabs', 'ids', idKey(room, id))) !== undefined)
  }

  async get(room: string, id: string): Promise<StoredRecord | undefined> {
    this.#open()
    const key = idKey(room, id)
    const slab = await this.#run('get', () => this.#db.getFromIndex('slabs', 'ids', key))
    return slab && recordAt(slab, slab.keys.indexOf(key))
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
    let after: IDBValidKey | undefined
    for (;;) {
      this.#open()
      const range = after === undefined ? roomRange(room) : IDBKeyRange.bound(after, [room, []], true, false)
      const slabs = await this.#run('scan', () => this.#db.getAll('slabs', range, SCAN_SLABS))
      entries(slabs, all)
      if (slabs.length < SCAN_SLABS) break
      after = [room, slabs[slabs.length - 1].id]
    }
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
    return this.#run('count', () => this.#db.countFromIndex('slabs', 'ids', roomIdRange(room)))
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
      const tx = this.#db.transaction(['slabs', 'meta'], 'readonly')
      for (const name of ['slabs', 'meta'] as const) {
        // One seek per distinct room: jump from [room, id] straight past [room, []].
        let cursor = await tx.objectStore(name).openKeyCursor()
        while (cursor) {
          const room = cursor.key[0]
          found.add(room)
          cursor = await cursor.continue([room, []] as unknown as [string, string])
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

/** Maps DOMException names to a reason; the message names the database. */
function toStoreError(err: unknown, name: string, op: string): StoreError {
  if (err instanceof StoreError) return err
  const errName = (err as { name?: unknown } | null)?.name
  const text = err instanceof Error ? err.message : String(err)
  const reason =
    errName === 'QuotaExceededError'
      ? 'quota'
      : errName === 'VersionError'
        ? 'version'
        : errName === 'InvalidStateError'
          ? 'closed'
          : errName === 'DataError'
            ? 'invalid'
            : 'io'
  const hint = reason === 'version' ? ' (the database was created by a newer Chorus Mesh; reload to get it)' : ''
  return new StoreError(reason, `IndexedDB ${name}: ${op} failed: ${String(errName ?? 'Error')}: ${text}${hint}`, { cause: err })
}
