import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { until } from './testing/until'
import { expectStoreError, record, runEventStoreContract } from './event-store.contract'
import { migrate, SQLITE_SCHEMA_VERSION } from './sqlite-schema'
import { DEFAULT_SQLITE_FILE, openSqliteStore } from './sqlite-store'

const root = mkdtempSync(join(tmpdir(), 'chorus-sqlite-'))
let n = 0
const freshDir = () => join(root, `case${n++}`)
afterAll(() => rmSync(root, { recursive: true, force: true }))

runEventStoreContract('sqlite', () => {
  const dataDir = freshDir()
  return { open: () => openSqliteStore({ dataDir }) }
}, { persistent: true })

runEventStoreContract('sqlite (writes inline)', () => {
  const dataDir = freshDir()
  return { open: () => openSqliteStore({ dataDir, writer: 'inline' }) }
}, { persistent: true })

describe('sqlite store', () => {
  it('writes on its worker thread: timers keep firing while a big batch commits (inline, none do)', async () => {
    const batch = Array.from({ length: 5000 }, (_, i) => ({ ...record(`big${i}`, i), bytes: new Uint8Array(4096).fill(i % 251) }))
    const ticksDuring = async (writer: 'thread' | 'inline') => {
      const store = await openSqliteStore({ dataDir: freshDir(), writer })
      let ticks = 0
      const timer = setInterval(() => ticks++, 1)
      await new Promise((r) => setTimeout(r, 5))
      const before = ticks
      await store.putMany('r', batch)
      const during = ticks - before
      clearInterval(timer)
      expect(await store.count('r')).toBe(batch.length)
      await store.close()
      return during
    }
    expect(await ticksDuring('inline')).toBe(0)
    expect(await ticksDuring('thread')).toBeGreaterThan(0)
  })

  it('creates the data directory and a WAL-mode file in it, stamped with the schema version', async () => {
    const dataDir = join(freshDir(), 'nested', '.data')
    const store = await openSqliteStore({ dataDir })
    expect(store.file).toBe(join(dataDir, DEFAULT_SQLITE_FILE))
    // better-sqlite3 is built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1: WAL alone would mean NORMAL.
    expect(store.synchronous).toBe('FULL')
    await store.putMany('r', [record('a', 1)])
    await store.close()
    const db = new Database(store.file, { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION)
    db.close()
  })

  it('brings a version 1 file (with the per-author index) to the current schema, keeping its events', async () => {
    const dataDir = freshDir()
    const first = await openSqliteStore({ dataDir })
    await first.putMany('r', [record('a', 1), record('b', 2)])
    await first.close()
    // What version 1 left on disk: the same tables with the events_author index.
    const v1 = new Database(first.file)
    v1.exec('CREATE INDEX events_author ON events (room, author, seq)')
    v1.pragma('user_version = 1')
    v1.close()
    const store = await openSqliteStore({ dataDir })
    expect(await store.count('r')).toBe(2)
    await store.putMany('r', [record('c', 3)])
    await store.close()
    const db = new Database(first.file, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").pluck().all()).toEqual(['events_order'])
    expect(db.prepare('SELECT id FROM events ORDER BY lamport').pluck().all()).toEqual(['a', 'b', 'c'])
    db.close()
  })

  it('keeps NORMAL when asked for it', async () => {
    const store = await openSqliteStore({ dataDir: freshDir(), synchronous: 'NORMAL' })
    expect(store.synchronous).toBe('NORMAL')
    await store.close()
  })

  it('reports an unusable data directory as io, naming the path', async () => {
    const blocker = join(freshDir(), 'not-a-dir')
    mkdirSync(join(blocker, '..'), { recursive: true })
    writeFileSync(blocker, 'a file where the data directory should be')
    const err = await expectStoreError(openSqliteStore({ dataDir: blocker }), 'io')
    expect(err.message).toContain(blocker)
  })

  it('refuses a file from a newer schema version, naming it, and leaves it untouched', async () => {
    const dataDir = freshDir()
    const first = await openSqliteStore({ dataDir })
    await first.putMany('r', [record('a', 1)])
    await first.close()
    const db = new Database(first.file)
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`)
    db.close()
    const err = await expectStoreError(openSqliteStore({ dataDir }), 'version')
    expect(err.message).toContain(first.file)
    const after = new Database(first.file, { readonly: true })
    expect(after.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION + 1)
    expect(after.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1)
    after.close()
  })

  it('refuses a file that is not a database, naming it, and does not overwrite it', async () => {
    const dataDir = freshDir()
    const file = join(dataDir, 'garbage.sqlite')
    const garbage = new Uint8Array(8192).map((_, i) => (i * 31) % 251)
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, garbage)
    const err = await expectStoreError(openSqliteStore({ dataDir, fileName: 'garbage.sqlite' }), 'corrupt')
    expect(err.message).toContain(file)
    expect(new Uint8Array(readFileSync(file))).toEqual(garbage)
  })

  it('refuses an SQLite file that belongs to something else', async () => {
    const dataDir = freshDir()
    const other = await openSqliteStore({ dataDir, fileName: 'probe.sqlite' })
    await other.close()
    const file = join(dataDir, 'other.sqlite')
    const db = new Database(file)
    db.exec('CREATE TABLE notes (text TEXT)')
    db.close()
    const err = await expectStoreError(openSqliteStore({ dataDir, fileName: 'other.sqlite' }), 'corrupt')
    expect(err.message).toContain('not a Chorus Mesh event store')
  })

  it('reports a truncated file as corrupt instead of returning fewer records', async () => {
    const dataDir = freshDir()
    const store = await openSqliteStore({ dataDir })
    await store.putMany('r', Array.from({ length: 3000 }, (_, i) => record(`t${i}`, i, { bytes: new Uint8Array(500) })))
    await store.close()
    const bytes = readFileSync(store.file)
    writeFileSync(store.file, bytes.subarray(0, bytes.length >> 1))
    const err = await expectStoreError(
      openSqliteStore({ dataDir }).then(async (s) => {
        try {
          return await s.loadAll('r')
        } finally {
          await s.close()
        }
      }),
      'corrupt',
    )
    expect(err.message).toContain(store.file)
  })

  it('migrates an older file forward in a transaction, keeping its data; a failed step changes nothing', async () => {
    const dataDir = freshDir()
    const store = await openSqliteStore({ dataDir })
    await store.putMany('r', [record('a', 1)])
    await store.close()
    const db = new Database(store.file)
    // As if written by a build that knew one migration.
    db.pragma('user_version = 1')
    const noop = () => {}
    const failing = (d: Database.Database) => {
      d.exec('ALTER TABLE events ADD COLUMN half_done INTEGER')
      throw new Error('step 2 failed')
    }
    expect(() => migrate(db, [noop, failing])).toThrow('step 2 failed')
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'half_done'").pluck().get()).toBe(0)
    migrate(db, [noop, (d) => d.exec('ALTER TABLE events ADD COLUMN received INTEGER')])
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(db.prepare('SELECT id FROM events').pluck().all()).toEqual(['a'])
    db.close()
  })

  it('commits relaxed writes without the WAL fsync and strict ones with it, before and after; a NORMAL store never fsyncs', async () => {
    const store = await openSqliteStore({ dataDir: freshDir() })
    await store.putMany('r', [record('a', 1)])
    await store.putMany('r', [record('b', 2)], { durability: 'relaxed' })
    await store.putMany('r', [record('c', 3)], { durability: 'relaxed' })
    await store.putMany('r', [record('d', 4)], { durability: 'strict' })
    expect(store.commits).toEqual({ synced: 2, unsynced: 2 })
    // Meta right after a relaxed write is synced (and with it everything before it).
    await store.putMany('r', [record('e', 5)], { durability: 'relaxed' })
    await store.setMeta('r', 'k', 'v')
    expect(store.commits).toEqual({ synced: 3, unsynced: 3 })
    expect(await store.count('r')).toBe(5)
    await store.close()
    const normal = await openSqliteStore({ dataDir: freshDir(), synchronous: 'NORMAL' })
    await normal.putMany('r', [record('a', 1)])
    await normal.putMany('r', [record('b', 2)], { durability: 'relaxed' })
    expect(normal.commits).toEqual({ synced: 0, unsynced: 2 })
    await normal.close()
  })

  it('commits a small relaxed batch on the calling thread: it lands without waiting for a turn of the event loop', async () => {
    const dir = freshDir()
    const store = await openSqliteStore({ dataDir: dir })
    let landed = false
    const write = store.putMany('r', [record('a', 1), record('b', 2)], { durability: 'relaxed' }).then(() => void (landed = true))
    // Microtasks only: an answer from the writer thread needs a task of its own.
    for (let i = 0; i < 20 && !landed; i++) await Promise.resolve()
    expect(landed).toBe(true)
    await write
    // Committed, not just queued: another connection sees it.
    const other = new Database(join(dir, DEFAULT_SQLITE_FILE), { readonly: true })
    expect(other.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2)
    other.close()
    // Strict batches still go to the writer thread and are synced; the relaxed one counts as unsynced.
    await store.putMany('r', [record('c', 3)])
    expect(store.commits).toEqual({ synced: 1, unsynced: 1 })
    await store.close()
  })

  it('hands a relaxed batch to the writer thread when another connection holds the write lock, never blocking the calling thread', async () => {
    const dir = freshDir()
    const store = await openSqliteStore({ dataDir: dir })
    const other = new Database(join(dir, DEFAULT_SQLITE_FILE))
    other.exec('BEGIN IMMEDIATE')
    let landed = false
    const write = store.putMany('r', [record('a', 1)], { durability: 'relaxed' }).then(() => void (landed = true))
    // The thread is free (a task runs) and the batch waits for the lock instead of failing.
    await new Promise((r) => setImmediate(r))
    expect(landed).toBe(false)
    other.exec('COMMIT')
    other.close()
    await write
    expect(await store.count('r')).toBe(1)
    await store.close()
  })

  it('checkpoints the WAL on the writer thread while relaxed batches commit on the calling thread', async () => {
    const dir = freshDir()
    const store = await openSqliteStore({ dataDir: dir })
    const dbFile = join(dir, DEFAULT_SQLITE_FILE)
    const before = statSync(dbFile).size
    for (let b = 0; b < 200; b++) {
      const batch = Array.from({ length: 8 }, (_, i) => ({ ...record(`ck${b * 8 + i}`, b * 8 + i), bytes: new Uint8Array(1024).fill(i) }))
      await store.putMany('r', batch, { durability: 'relaxed' })
      await new Promise((r) => setImmediate(r))
    }
    // The events reach the database file itself (a checkpoint), not only the WAL.
    await until('a checkpoint', () => statSync(dbFile).size > before + 1024 * 1024, 20_000)
    expect(await store.count('r')).toBe(1600)
    await store.close()
  })

  it.each(['strict', 'relaxed'])('keeps every acknowledged %s batch when the writer is killed with SIGKILL', async (durability) => {
    const dataDir = freshDir()
    const batchSize = 50
    const writer = fileURLToPath(new URL('./testing/sqlite-crash-writer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, String(batchSize), durability], { stdio: ['ignore', 'pipe', 'inherit'] })
    let acked = 0
    let buffered = ''
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        for (const m of buffered.matchAll(/ack (\d+)\n/g)) acked = Math.max(acked, Number(m[1]))
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1)
        if (acked >= 40 * batchSize) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', () => reject(new Error(`writer exited early after ${acked} acks`)))
    })
    expect(await exited).toBe('SIGKILL')
    const store = await openSqliteStore({ dataDir })
    try {
      const count = await store.count('room')
      expect(count).toBeGreaterThanOrEqual(acked)
      expect(count % batchSize).toBe(0)
      const ids = new Set((await store.loadAll('room')).map((r) => r.id))
      for (let i = 0; i < acked; i++) expect(ids.has(`crash${i}`)).toBe(true)
    } finally {
      await store.close()
    }
  })
})
