/**
 * An in-memory EventStore for tests and ephemeral peers. Nothing survives the process; bytes
 * are copied in and out so that it behaves like the persistent stores (a caller that mutates
 * a buffer after putMany, or a returned record, changes nothing stored).
 */
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
  type ScanOptions,
  type StoredRecord,
} from './event-store'

interface Room {
  records: Map<string, StoredRecord>
  /** (lamport, id) order, rebuilt lazily after writes. */
  sorted: StoredRecord[] | undefined
  meta: Map<string, MetaValue>
}

/** Creates an empty in-memory store. */
export function createMemoryStore(): EventStore {
  return new MemoryStore()
}

class MemoryStore implements EventStore {
  readonly #rooms = new Map<string, Room>()
  #closed = false

  async putMany(room: string, input: readonly StoredRecord[]): Promise<number> {
    this.#open()
    const records = checkedBatch(room, input)
    if (records.length === 0) return 0
    const state = this.#room(room, true)
    let added = 0
    for (const r of records) {
      if (state.records.has(r.id)) continue
      state.records.set(r.id, copy(r))
      added++
    }
    if (added > 0) state.sorted = undefined
    return added
  }

  async has(room: string, id: string): Promise<boolean> {
    this.#open()
    return this.#room(room)?.records.has(id) ?? false
  }

  async get(room: string, id: string): Promise<StoredRecord | undefined> {
    this.#open()
    const r = this.#room(room)?.records.get(id)
    return r && copy(r)
  }

  async loadAll(room: string): Promise<StoredRecord[]> {
    return collect(this.scan(room, { batchSize: Number.MAX_SAFE_INTEGER }))
  }

  async *scan(room: string, options?: ScanOptions): AsyncIterable<StoredRecord[]> {
    this.#open()
    const size = validateScan(options)
    let after = options?.after
    for (;;) {
      this.#open()
      const sorted = this.#sorted(room)
      const start = after === undefined ? 0 : firstAfter(sorted, after)
      const batch = sorted.slice(start, start + size).map(copy)
      if (batch.length === 0) return
      yield batch
      if (batch.length < size) return
      after = batch[batch.length - 1]
    }
  }

  async count(room: string): Promise<number> {
    this.#open()
    return this.#room(room)?.records.size ?? 0
  }

  async getMeta(room: string, key: string): Promise<MetaValue | undefined> {
    this.#open()
    const value = this.#room(room)?.meta.get(key)
    return value instanceof Uint8Array ? ownBytes(value) : value
  }

  async setMeta(room: string, key: string, value: MetaValue): Promise<void> {
    this.#open()
    validateId('room', room)
    validateId('meta key', key)
    validateMeta(value)
    this.#room(room, true).meta.set(key, value instanceof Uint8Array ? ownBytes(value) : value)
  }

  async deleteMeta(room: string, key: string): Promise<void> {
    this.#open()
    this.#room(room)?.meta.delete(key)
  }

  async rooms(): Promise<string[]> {
    this.#open()
    return [...this.#rooms.entries()]
      .filter(([, r]) => r.records.size > 0 || r.meta.size > 0)
      .map(([name]) => name)
      .sort()
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  #open(): void {
    if (this.#closed) throw new StoreError('closed', 'memory store is closed')
  }

  #room(room: string, create: true): Room
  #room(room: string): Room | undefined
  #room(room: string, create = false): Room | undefined {
    let state = this.#rooms.get(room)
    if (state === undefined && create) {
      state = { records: new Map(), sorted: undefined, meta: new Map() }
      this.#rooms.set(room, state)
    }
    return state
  }

  #sorted(room: string): StoredRecord[] {
    const state = this.#room(room)
    if (state === undefined) return []
    state.sorted ??= [...state.records.values()].sort(compareRecords)
    return state.sorted
  }
}

/** Index of the first record strictly after the cursor (binary search). */
function firstAfter(sorted: readonly StoredRecord[], after: { lamport: number; id: string }): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareRecords(sorted[mid], after) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

function copy(r: StoredRecord): StoredRecord {
  return { id: r.id, bytes: ownBytes(r.bytes), author: r.author, seq: r.seq, lamport: r.lamport, kind: r.kind }
}
