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
 */
import { openDB, unwrap, type DBSchema, type IDBPDatabase } from 'idb'
import {
  StoreError,
  checkedBatch,
  collect,
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

/** Default IndexedDB database name of the event store. */
export const IDB_EVENTS_DB = 'chorus-mesh-events'
/** The IndexedDB schema version this build writes. */
export const IDB_SCHEMA_VERSION = 2

interface Row extends StoredRecord {
  room: string
}

interface EventsDB extends DBSchema {
  events: { key: [string, string]; value: Row; indexes: { order: [string, number, string] } }
  meta: { key: [string, string]; value: { room: string; key: string; value: MetaValue } }
}

/** Options of {@link openIdbStore}. */
export interface IdbStoreInit {
  /** Database name (default {@link IDB_EVENTS_DB}); tests use one per case. */
  readonly name?: string
}

/** Opens (creating or upgrading) the event database. */
export async function openIdbStore(init: IdbStoreInit = {}): Promise<EventStore> {
  const name = init.name ?? IDB_EVENTS_DB
  let store: IdbStore | undefined
  try {
    const db = await openDB<EventsDB>(name, IDB_SCHEMA_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // Version steps are appended, never edited (ADR 0032).
        if (oldVersion < 1) {
          const events = db.createObjectStore('events', { keyPath: ['room', 'id'] })
          events.createIndex('order', ['room', 'lamport', 'id'])
          ;(events as unknown as IDBObjectStore).createIndex('author', ['room', 'author', 'seq'])
          db.createObjectStore('meta', { keyPath: ['room', 'key'] })
        }
        // No query reads the author index, and every record paid a third index entry for it.
        if (oldVersion < 2) (tx.objectStore('events') as unknown as IDBObjectStore).deleteIndex('author')
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
    throw toStoreError(err, name, 'open')
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
    const records = checkedBatch(room, input)
    if (records.length === 0) return 0
    const durability = options?.durability === 'relaxed' ? 'relaxed' : 'strict'
    return this.#run('putMany', async () => {
      const tx = this.#db.transaction('events', 'readwrite', { durability })
      // Raw requests: `add` of an existing key fails with ConstraintError, which we cancel so
      // that the transaction goes on — one request per record instead of a get and a put. Only
      // failures get a handler (new = records − duplicates): a success event per record into JS
      // costs more than the rest of the request in a tab.
      const events = unwrap(tx.store)
      let duplicates = 0
      const onerror = function (this: IDBRequest, event: Event) {
        if (this.error?.name !== 'ConstraintError') return
        duplicates++
        event.preventDefault()
        event.stopPropagation()
      }
      try {
        for (const r of records) {
          const row: Row = { room, id: r.id, bytes: cloneable(r.bytes), author: r.author, seq: r.seq, lamport: r.lamport, kind: r.kind }
          events.add(row).onerror = onerror
        }
      } catch (err) {
        // A request that throws synchronously must not leave the earlier ones to commit.
        tx.done.catch(() => {})
        tx.abort()
        throw err
      }
      await tx.done
      return records.length - duplicates
    })
  }

  async has(room: string, id: string): Promise<boolean> {
    this.#open()
    return this.#run('has', async () => (await this.#db.getKey('events', [room, id])) !== undefined)
  }

  async get(room: string, id: string): Promise<StoredRecord | undefined> {
    this.#open()
    const row = await this.#run('get', () => this.#db.get('events', [room, id]))
    return row && fromRow(row)
  }

  async loadAll(room: string): Promise<StoredRecord[]> {
    return collect(this.scan(room, { batchSize: 5000 }))
  }

  async *scan(room: string, options?: ScanOptions): AsyncIterable<StoredRecord[]> {
    this.#open()
    const size = validateScan(options)
    let after = options?.after
    for (;;) {
      this.#open()
      // Keyset pagination, one short transaction per batch: no transaction spans a yield.
      const range =
        after === undefined ? roomRange(room) : IDBKeyRange.bound([room, after.lamport, after.id], [room, []], true, false)
      const rows = await this.#run('scan', () => this.#db.getAllFromIndex('events', 'order', range, size))
      if (rows.length === 0) return
      const batch = rows.map(fromRow)
      yield batch
      if (rows.length < size) return
      after = batch[batch.length - 1]
    }
  }

  async count(room: string): Promise<number> {
    this.#open()
    return this.#run('count', () => this.#db.count('events', roomRange(room)))
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
      const tx = this.#db.transaction(['events', 'meta'], 'readonly')
      for (const name of ['events', 'meta'] as const) {
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

function fromRow(row: Row): StoredRecord {
  return { id: row.id, bytes: row.bytes, author: row.author, seq: row.seq, lamport: row.lamport, kind: row.kind }
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
