/**
 * The Node EventStore: one SQLite file under the data directory (better-sqlite3, WAL).
 *
 * Durability (ADR 0031): `synchronous=FULL` in WAL mode fsyncs the WAL on every commit, so a
 * resolved putMany survives a process kill *and* a power cut; putMany is one transaction, so
 * the fsync is paid once per batch. A `relaxed` putMany (events received from peers, ADR 0067)
 * commits without it: it survives a process kill, and the next synced commit makes it durable.
 * Without an fsync a commit is short, so a relaxed batch commits on the calling thread when the
 * write lock is free (its answer then waits for no turn of the event loop) and goes to the writer
 * thread when that thread holds the lock.
 * The schema is versioned with `PRAGMA user_version` and stamped with an `application_id`; a
 * file from a newer build or a file that is not ours is refused with an error naming it, never
 * opened and rewritten.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import {
  StoreError,
  checkedBatch,
  collect,
  validateId,
  validateMeta,
  validateScan,
  type EventStore,
  type MetaValue,
  type PutOptions,
  type ScanOptions,
  type StoredRecord,
} from './event-store'
import { COLUMNS, fromRow, isBusy, plainBytes, SYNCHRONOUS_NAMES, toStoreError, type Row } from './sqlite-rows'
import { checkOwnership, migrate } from './sqlite-schema'
import { SqliteWriter, type WriteOp } from './sqlite-writer'

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreInit {
  /** Directory holding the database (created if missing), e.g. `./.data`. */
  readonly dataDir: string
  /** File name inside dataDir (default {@link DEFAULT_SQLITE_FILE}). */
  readonly fileName?: string
  /**
   * `FULL` (default): acknowledged writes survive power loss. `NORMAL`: they survive a crash
   * of the process but the last commits may roll back on power loss — for tests and caches.
   */
  readonly synchronous?: 'FULL' | 'NORMAL'
  /** How long to wait for another connection's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number
  /**
   * Where writes run: `thread` (default) on a worker thread with its own connection, so a
   * commit's fsync never holds the event loop (ADR 0071); `inline` on the calling thread.
   */
  readonly writer?: 'thread' | 'inline'
}

/** Default database file name inside the data directory. */
export const DEFAULT_SQLITE_FILE = 'events.sqlite'

/** An EventStore backed by SQLite; `file` is the absolute path of its database. */
export interface SqliteEventStore extends EventStore {
  readonly file: string
  /** The `synchronous` level in force, read back from SQLite (not the one asked for). */
  readonly synchronous: string
  /** Writes (events and meta) the writer thread committed with the WAL fsynced, and without (relaxed ones, or a NORMAL store's). */
  readonly commits: { readonly synced: number; readonly unsynced: number }
}

/** Relaxed commits on the calling thread between two checkpoints by the writer thread (SQLite's own default is every 1,000 WAL pages). */
const CHECKPOINT_EVERY = 64

/** Larger relaxed batches (a sync round's, a catch-up's) go to the writer thread: their commit is not short. */
const HERE_MAX_BYTES = 64 * 1024

const byteLength = (records: readonly StoredRecord[]): number => records.reduce((n, r) => n + r.bytes.byteLength, 0)

/** Opens (creating or migrating) the event database in `init.dataDir`. */
export async function openSqliteStore(init: SqliteStoreInit): Promise<SqliteEventStore> {
  const file = resolve(join(init.dataDir, init.fileName ?? DEFAULT_SQLITE_FILE))
  let db: Database.Database | undefined
  try {
    mkdirSync(init.dataDir, { recursive: true })
    db = new Database(file)
    const busyTimeoutMs = Math.max(0, Math.floor(init.busyTimeoutMs ?? 5000))
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    checkOwnership(db, file)
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new StoreError('io', `${file}: could not switch to WAL (journal_mode is ${String(mode)})`)
    const synchronous = init.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'
    db.pragma(`synchronous = ${synchronous}`)
    migrate(db)
    const writer = init.writer === 'inline' ? undefined : new SqliteWriter({ file, synchronous, busyTimeoutMs })
    return new SqliteStore(db, file, busyTimeoutMs, writer)
  } catch (err) {
    db?.close()
    throw toStoreError(err, file, 'open')
  }
}

class SqliteStore implements SqliteEventStore {
  readonly #db: Database.Database
  #closed = false
  readonly #insert: Database.Statement<[string, string, string, number, number, string, Uint8Array]>
  readonly #putTx: Database.Transaction<(room: string, records: readonly StoredRecord[]) => number>
  readonly #has: Database.Statement<[string, string]>
  readonly #get: Database.Statement<[string, string]>
  readonly #first: Database.Statement<[string, number]>
  readonly #next: Database.Statement<[string, number, string, number]>
  readonly #count: Database.Statement<[string]>
  readonly #getMeta: Database.Statement<[string, string]>
  readonly #setMeta: Database.Statement<[string, string, string | Uint8Array]>
  readonly #deleteMeta: Database.Statement<[string, string]>
  readonly #nextRoom: Database.Statement<[string]>
  readonly #metaRooms: Database.Statement<[]>

  readonly synchronous: string

  readonly #writer?: SqliteWriter
  readonly #busyTimeoutMs: number
  /** Relaxed batches committed on this thread, and since the writer thread last checkpointed. */
  #here = 0
  #hereSinceCheckpoint = 0

  constructor(
    db: Database.Database,
    readonly file: string,
    busyTimeoutMs: number,
    writer?: SqliteWriter,
  ) {
    this.#db = db
    this.#writer = writer
    this.#busyTimeoutMs = busyTimeoutMs
    this.synchronous = SYNCHRONOUS_NAMES[db.pragma('synchronous', { simple: true }) as number] ?? 'unknown'
    if (writer) {
      // With a writer thread this connection commits only relaxed batches; a checkpoint (which
      // fsyncs) never runs here but on the writer thread (CHECKPOINT_EVERY).
      db.pragma('synchronous = NORMAL')
      db.pragma('wal_autocheckpoint = 0')
    }
    this.#insert = db.prepare(
      'INSERT INTO events (room, id, author, seq, lamport, kind, bytes) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room, id) DO NOTHING',
    )
    this.#putTx = db.transaction((room: string, records: readonly StoredRecord[]) => {
      let added = 0
      for (const r of records) added += this.#insert.run(room, r.id, r.author, r.seq, r.lamport, r.kind, r.bytes).changes
      return added
    })
    this.#has = db.prepare('SELECT 1 FROM events WHERE room = ? AND id = ?').pluck()
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM events WHERE room = ? AND id = ?`)
    this.#first = db.prepare(`SELECT ${COLUMNS} FROM events WHERE room = ? ORDER BY lamport, id LIMIT ?`)
    this.#next = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE room = ? AND (lamport, id) > (?, ?) ORDER BY lamport, id LIMIT ?`,
    )
    this.#count = db.prepare('SELECT count(*) FROM events WHERE room = ?').pluck()
    this.#getMeta = db.prepare('SELECT value FROM meta WHERE room = ? AND key = ?').pluck()
    this.#setMeta = db.prepare(
      'INSERT INTO meta (room, key, value) VALUES (?, ?, ?) ON CONFLICT (room, key) DO UPDATE SET value = excluded.value',
    )
    this.#deleteMeta = db.prepare('DELETE FROM meta WHERE room = ? AND key = ?')
    // One index seek per distinct room instead of a scan of every event.
    this.#nextRoom = db.prepare('SELECT room FROM events WHERE room > ? ORDER BY room LIMIT 1').pluck()
    this.#metaRooms = db.prepare('SELECT DISTINCT room FROM meta').pluck()
  }

  async putMany(room: string, input: readonly StoredRecord[], options?: PutOptions): Promise<number> {
    this.#open()
    const records = checkedBatch(room, input)
    if (records.length === 0) return 0
    if (this.#writer) {
      const relaxed = options?.durability === 'relaxed'
      const added = relaxed && byteLength(records) <= HERE_MAX_BYTES ? this.#commitHere(room, records) : undefined
      return added ?? this.#write({ op: 'putMany', room, records, relaxed })
    }
    // Inline writes block the caller's thread anyway (tests, tools): every commit is as configured.
    return this.#run('putMany', () => this.#putTx(room, records))
  }

  get commits(): { readonly synced: number; readonly unsynced: number } {
    const thread = this.#writer?.commits ?? { synced: 0, unsynced: 0 }
    return { synced: thread.synced, unsynced: thread.unsynced + this.#here }
  }

  /**
   * Commits a relaxed batch on this thread if the write lock is free, without waiting for it:
   * while the writer thread holds it (a synced commit's fsync) this returns undefined at once
   * and the batch goes to that thread, behind it.
   */
  #commitHere(room: string, records: readonly StoredRecord[]): number | undefined {
    this.#db.pragma('busy_timeout = 0')
    try {
      const added = this.#putTx.immediate(room, records)
      this.#here++
      if (++this.#hereSinceCheckpoint >= CHECKPOINT_EVERY) {
        this.#hereSinceCheckpoint = 0
        // Not awaited: a failed checkpoint loses nothing (the WAL keeps the commits), and the next one retries.
        this.#writer!.write({ op: 'checkpoint' }).catch(() => undefined)
      }
      return added
    } catch (err) {
      if (isBusy(err)) return undefined
      throw toStoreError(err, this.file, 'putMany')
    } finally {
      this.#db.pragma(`busy_timeout = ${this.#busyTimeoutMs}`)
    }
  }

  async has(room: string, id: string): Promise<boolean> {
    this.#open()
    return this.#run('has', () => this.#has.get(room, id) !== undefined)
  }

  async get(room: string, id: string): Promise<StoredRecord | undefined> {
    this.#open()
    const row = this.#run('get', () => this.#get.get(room, id) as Row | undefined)
    return row && fromRow(row)
  }

  async loadAll(room: string): Promise<StoredRecord[]> {
    return collect(this.scan(room, { batchSize: 10_000 }))
  }

  async *scan(room: string, options?: ScanOptions): AsyncIterable<StoredRecord[]> {
    this.#open()
    const size = validateScan(options)
    let after = options?.after
    for (;;) {
      this.#open()
      // Keyset pagination: no statement stays open between batches, so writes can interleave.
      const cursor = after
      const rows = this.#run('scan', () =>
        (cursor === undefined ? this.#first.all(room, size) : this.#next.all(room, cursor.lamport, cursor.id, size)) as Row[],
      )
      if (rows.length === 0) return
      const batch = rows.map(fromRow)
      yield batch
      if (rows.length < size) return
      after = batch[batch.length - 1]
    }
  }

  async count(room: string): Promise<number> {
    this.#open()
    return this.#run('count', () => this.#count.get(room) as number)
  }

  async getMeta(room: string, key: string): Promise<MetaValue | undefined> {
    this.#open()
    const value = this.#run('getMeta', () => this.#getMeta.get(room, key) as string | Buffer | undefined | null)
    if (value == null) return undefined
    return typeof value === 'string' ? value : plainBytes(value)
  }

  async setMeta(room: string, key: string, value: MetaValue): Promise<void> {
    this.#open()
    validateId('room', room)
    validateId('meta key', key)
    validateMeta(value)
    if (this.#writer) await this.#write({ op: 'setMeta', room, key, value })
    else this.#run('setMeta', () => this.#setMeta.run(room, key, value))
  }

  async deleteMeta(room: string, key: string): Promise<void> {
    this.#open()
    if (this.#writer) await this.#write({ op: 'deleteMeta', room, key })
    else this.#run('deleteMeta', () => this.#deleteMeta.run(room, key))
  }

  async rooms(): Promise<string[]> {
    this.#open()
    return this.#run('rooms', () => {
      const found = new Set(this.#metaRooms.all() as string[])
      for (let room = this.#nextRoom.get('') as string | undefined; room !== undefined; room = this.#nextRoom.get(room) as string | undefined) {
        found.add(room)
      }
      return [...found].sort()
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // The writes already asked for finish first; then both connections close.
    await this.#writer?.close()
    this.#run('close', () => this.#db.close())
  }

  #open(): void {
    if (this.#closed) throw new StoreError('closed', `${this.file}: store is closed`)
  }

  async #write(w: WriteOp): Promise<number> {
    try {
      return await this.#writer!.write(w)
    } catch (err) {
      throw toStoreError(err, this.file, w.op)
    }
  }

  #run<T>(op: string, fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      throw toStoreError(err, this.file, op)
    }
  }
}
