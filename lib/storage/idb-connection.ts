/**
 * One connection to the event database (`idb-store.ts` opens it): the EventStore's operations
 * over the room slabs (`idb-slabs.ts`), each room's catalog of ids (`idb-catalog.ts`), and the
 * share of received events' writes with the browser's other tabs (`idb-share.ts`).
 */
import { unwrap, type DBSchema, type IDBPDatabase } from 'idb'
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
import { SharedWrites, type ActiveShare } from './idb-share'

/** The database's object stores (schema version 4, ADR 0097). */
export interface EventsDB extends DBSchema {
  roomSlabs: { key: [string, number]; value: Slab }
  meta: { key: [string, string]; value: { room: string; key: string; value: MetaValue } }
}

/** Slabs read per request while scanning: a bounded structured-clone read per task. */
const SCAN_SLABS = 16
/**
 * Writes in a row that find another connection's new slab in their place before this one gives
 * up: each retry has read every slab committed before it, so only another tab writing to the
 * room as fast as this one retries can exhaust it.
 */
const MAX_WRITE_ATTEMPTS = 16

/** See the module comment. */
export class IdbStore implements EventStore {
  readonly #db: IDBPDatabase<EventsDB>
  readonly #name: string
  #closedBecause: string | undefined
  readonly #catalogs = new Map<string, RoomCatalog>()
  /** The last write queued: the next one starts after it settles. */
  #writes: Promise<unknown> = Promise.resolve()
  readonly #shared: SharedWrites | undefined

  constructor(db: IDBPDatabase<EventsDB>, name: string, share: ActiveShare | undefined) {
    this.#db = db
    this.#name = name
    this.#shared =
      share &&
      new SharedWrites(name, share, {
        write: (room, records) => this.#queue(room, records, 'relaxed'),
        holds: (room, id) => this.#catalog(room).ids.has(id),
        heard: (room, slabs) => {
          const catalog = this.#catalog(room)
          for (const { n, ids } of slabs) catalog.heard(n, ids)
        },
      })
  }

  async putMany(room: string, input: readonly StoredRecord[], options?: PutOptions): Promise<number> {
    this.#open()
    const records = firstOfEach(checkedBatch(room, input))
    if (records.length === 0) return 0
    if (options?.durability === 'relaxed') return this.#shared ? this.#shared.received(room, records) : this.#queue(room, records, 'relaxed')
    return this.#queue(room, records, 'strict')
  }

  /**
   * One write at a time per connection (IndexedDB serialises them anyway): each is checked
   * against the ids the previous ones committed, so none needs a retry to learn them.
   */
  #queue(room: string, records: readonly StoredRecord[], durability: 'strict' | 'relaxed'): Promise<number> {
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
        const read: Slab[] = []
        await this.#readSlabs(room, catalog.through, (slabs) => read.push(...slabs))
        // Slabs this connection had not heard of: their writer's notice may be lost (its tab
        // closed between commit and notice), so the other tabs hear of them from here.
        this.#shared?.pass(room, read)
        continue
      }
      catalog.learn(slabs)
      this.#shared?.committed(room, slabs)
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
    this.markClosed('store is closed')
  }

  /** Closes the connection (the caller's, or because the browser or another tab needs it gone). */
  markClosed(because: string): void {
    if (this.#closedBecause !== undefined) return
    this.#closedBecause = because
    this.#shared?.close(new StoreError('closed', `IndexedDB ${this.#name}: ${because}`))
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
      if (slabs.length > 0) this.#shared?.settle(room)
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
