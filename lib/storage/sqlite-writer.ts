/**
 * The SQLite store's writes on a worker thread (ADR 0071). A commit with `synchronous=FULL`
 * waits for an fsync, and better-sqlite3 runs it on the calling thread: on a busy disk that
 * held a relay's or an agent's event loop for tens to hundreds of milliseconds per write.
 * The worker owns a second connection to the same WAL file and runs every write (events and
 * meta) in order; the main thread keeps its connection for reads, which WAL never blocks, and
 * sees each write once its promise has resolved. The worker is a CommonJS script evaluated
 * from this string (no loader needed in the thread); it is handed better-sqlite3's resolved path.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { MetaValue, StoredRecord } from './event-store'

/** A write the worker runs. */
export type WriteOp =
  | { op: 'putMany'; room: string; records: readonly StoredRecord[]; relaxed?: boolean }
  | { op: 'setMeta'; room: string; key: string; value: MetaValue }
  | { op: 'deleteMeta'; room: string; key: string }
  | { op: 'checkpoint' }

/** What a failed write reports: the SQLite error's code and message. */
export interface WriteFailure {
  code?: string
  message: string
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = ' + workerData.synchronous)
const insert = db.prepare('INSERT INTO events (room, id, author, seq, lamport, kind, bytes) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room, id) DO NOTHING')
// The level is set before every write, so no failed switch can leave a later write unsynced.
let current = workerData.synchronous
const atLevel = (wanted) => {
  if (wanted !== current) {
    db.pragma('synchronous = ' + wanted)
    current = wanted
  }
  return db.pragma('synchronous', { simple: true })
}
const putTx = db.transaction((room, records) => {
  let added = 0
  for (const r of records) added += insert.run(room, r.id, r.author, r.seq, r.lamport, r.kind, r.bytes).changes
  return added
})
const setMeta = db.prepare('INSERT INTO meta (room, key, value) VALUES (?, ?, ?) ON CONFLICT (room, key) DO UPDATE SET value = excluded.value')
const deleteMeta = db.prepare('DELETE FROM meta WHERE room = ? AND key = ?')
parentPort.on('message', (m) => {
  if (m.op === 'close') {
    db.close()
    parentPort.close()
    return
  }
  try {
    let result = 0
    if (m.op === 'checkpoint') {
      // Copies the WAL into the database as far as no reader needs it, never waiting for one.
      db.pragma('wal_checkpoint(PASSIVE)')
      parentPort.postMessage({ id: m.id, ok: true, result })
      return
    }
    // A relaxed write commits without the WAL fsync; the next synced commit's fsync covers it.
    const level = atLevel(m.op === 'putMany' && m.relaxed ? 'NORMAL' : workerData.synchronous)
    if (m.op === 'putMany') result = putTx(m.room, m.records)
    else if (m.op === 'setMeta') setMeta.run(m.room, m.key, m.value)
    else if (m.op === 'deleteMeta') deleteMeta.run(m.room, m.key)
    parentPort.postMessage({ id: m.id, ok: true, result, level })
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, code: typeof err.code === 'string' ? err.code : undefined, message: String(err && err.message || err) })
  }
})
`

/** The worker side of a store: `write` resolves with the rows added once committed (synced unless relaxed). */
export class SqliteWriter {
  /** Writes (events and meta) committed with the WAL fsynced (`synchronous=FULL`, level 2) or without it. */
  readonly commits = { synced: 0, unsynced: 0 }
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (n: number) => void; reject: (f: WriteFailure) => void }>()
  #next = 0
  #failed?: WriteFailure
  readonly #exited: Promise<void>

  constructor(init: { file: string; synchronous: 'FULL' | 'NORMAL'; busyTimeoutMs: number }) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.#worker = new Worker(WORKER, { eval: true, workerData: { driver, ...init } })
    // An idle writer must not keep a process alive that has nothing else to do.
    this.#worker.unref()
    this.#worker.on('message', (m: { id: number; ok: boolean; result?: number; level?: number; code?: string; message?: string }) => {
      if (m.ok && m.level != null) this.commits[m.level >= 2 ? 'synced' : 'unsynced']++
      const p = this.#pending.get(m.id)
      if (!p) return
      this.#pending.delete(m.id)
      if (m.ok) p.resolve(m.result ?? 0)
      else p.reject({ code: m.code, message: m.message ?? 'write failed' })
    })
    // A worker that dies (out of memory, a crash in the driver) fails every write, now and later.
    this.#worker.on('error', (err) => this.#fail({ message: `the SQLite writer thread failed: ${err.message}` }))
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', (code) => {
        this.#fail({ message: `the SQLite writer thread exited (code ${code})` })
        resolve()
      }),
    )
  }

  /** Runs one write on the worker; rejects with its WriteFailure. */
  write(w: WriteOp): Promise<number> {
    if (this.#failed) return Promise.reject(this.#failed)
    const id = this.#next++
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      if (this.#pending.size === 1) this.#worker.ref()
      this.#worker.postMessage({ id, ...w })
    }).finally(() => {
      if (this.#pending.size === 0) this.#worker.unref()
    })
  }

  /** Closes the worker's connection after the writes already asked for; resolves once it has exited. */
  async close(): Promise<void> {
    if (!this.#failed) this.#worker.postMessage({ op: 'close' })
    this.#worker.ref()
    await this.#exited
  }

  #fail(f: WriteFailure): void {
    this.#failed ??= f
    for (const p of this.#pending.values()) p.reject(f)
    this.#pending.clear()
  }
}
