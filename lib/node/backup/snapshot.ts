/**
 * `chorus-mesh backup` / `restore`: a relay's data directory in one file, taken while the
 * relay runs. The file is an SQLite database: a consistent copy of the event store (events
 * and meta, made by `VACUUM INTO`, which reads inside one transaction while the relay keeps
 * writing — the page-stepping backup API restarts whenever another connection writes, so
 * under a busy room it may never finish) plus a table with the relay's key and admin token,
 * so a restored relay has the same peer id, serves the same room and keeps its admin token.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { adminTokenFile } from '../invites/admin-token'
import { requireStopped } from '../relay/pidfile'
import { DEFAULT_SQLITE_FILE } from '../../storage/sqlite-store'
import { SQLITE_APPLICATION_ID } from '../../storage/sqlite-schema'
import { inspectDataDir, type DataDirSummary } from './inspect'

/** Backup file format, stored in the file: a later build refuses a newer format by name. */
const FORMAT = 1
const FILES_TABLE = 'chorus_backup_files'
const INFO_TABLE = 'chorus_backup_info'

/** Files of the data directory carried in a backup besides the event store. */
const carried = (dataDir: string) => ({ 'relay.key': join(dataDir, 'relay.key'), 'admin.token': adminTokenFile(dataDir) })

export interface BackupResult {
  file: string
  room: string
  events: number
  bytes: number
}

/** Writes a consistent backup of `dataDir` (the relay may be running) to `file`, which must not exist. */
export function backupDataDir(dataDir: string, file: string): BackupResult {
  const source = join(dataDir, DEFAULT_SQLITE_FILE)
  if (!existsSync(source)) throw new Error(`backup: no relay data in ${dataDir} (no ${DEFAULT_SQLITE_FILE}); is --data right?`)
  const target = resolve(file)
  if (existsSync(target)) throw new Error(`backup: ${target} exists; choose a new name (a backup never overwrites)`)
  mkdirSync(dirname(target), { recursive: true })
  const partial = `${target}.partial-${process.pid}`
  rmSync(partial, { force: true })
  const src = new Database(source, { readonly: true, fileMustExist: true })
  try {
    src.pragma('busy_timeout = 10000')
    const appId = src.pragma('application_id', { simple: true })
    if (appId !== SQLITE_APPLICATION_ID) throw new Error(`backup: ${source} is not a Chorus Mesh event store`)
    src.prepare('VACUUM INTO ?').run(partial)
  } finally {
    src.close()
  }
  try {
    chmodSync(partial, 0o600)
    const db = new Database(partial)
    try {
      db.pragma('synchronous = FULL')
      db.exec(`CREATE TABLE ${FILES_TABLE} (name TEXT PRIMARY KEY, bytes BLOB NOT NULL); CREATE TABLE ${INFO_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
      const put = db.prepare(`INSERT INTO ${FILES_TABLE} (name, bytes) VALUES (?, ?)`)
      for (const [name, path] of Object.entries(carried(dataDir))) {
        if (existsSync(path)) put.run(name, readFileSync(path))
      }
      if (db.prepare(`SELECT 1 FROM ${FILES_TABLE} WHERE name = 'relay.key'`).get() == null) {
        throw new Error(`backup: ${dataDir} has no relay.key; a restored relay would not own its room`)
      }
      const room = servedRoom(db) ?? ''
      const events = db.prepare('SELECT count(*) FROM events WHERE room = ?').pluck().get(room) as number
      const info = db.prepare(`INSERT INTO ${INFO_TABLE} (key, value) VALUES (?, ?)`)
      for (const [k, v] of Object.entries({ format: String(FORMAT), created: new Date().toISOString(), room, events: String(events) })) info.run(k, v)
      db.close()
      renameSync(partial, target)
      return { file: target, room, events, bytes: readFileSync(target).byteLength }
    } finally {
      if (db.open) db.close()
    }
  } finally {
    rmSync(partial, { force: true })
  }
}

export interface RestoreResult extends DataDirSummary {
  dataDir: string
}

/**
 * Restores a backup into `dataDir`, which must hold no relay data (a restore never overwrites:
 * move the old directory aside). Every event is loaded and verified before it returns.
 */
export async function restoreDataDir(file: string, dataDir: string): Promise<RestoreResult> {
  const source = resolve(file)
  if (!existsSync(source)) throw new Error(`restore: ${source} does not exist`)
  requireStopped(dataDir, 'restore')
  const present = [DEFAULT_SQLITE_FILE, ...Object.keys(carried(dataDir))].filter((f) => existsSync(join(dataDir, f)))
  if (present.length > 0) {
    throw new Error(`restore: ${dataDir} already holds relay data (${present.join(', ')}); move it aside first (a restore never overwrites)`)
  }
  readBackupInfo(source)
  mkdirSync(dataDir, { recursive: true })
  const partial = join(dataDir, `${DEFAULT_SQLITE_FILE}.restoring`)
  copyFileSync(source, partial)
  try {
    const db = new Database(partial, { fileMustExist: true })
    let files: Array<{ name: string; bytes: Buffer }>
    try {
      files = db.prepare(`SELECT name, bytes FROM ${FILES_TABLE}`).all() as typeof files
      db.exec(`DROP TABLE ${FILES_TABLE}; DROP TABLE ${INFO_TABLE}`)
      // The key's bytes would otherwise linger in the event store's free pages.
      db.exec('VACUUM')
    } finally {
      db.close()
    }
    const paths = carried(dataDir) as Record<string, string>
    for (const f of files) {
      if (paths[f.name] == null) continue
      writeFileSync(paths[f.name], f.bytes, { mode: 0o600 })
      chmodSync(paths[f.name], 0o600)
    }
    renameSync(partial, join(dataDir, DEFAULT_SQLITE_FILE))
  } finally {
    rmSync(partial, { force: true })
  }
  return { dataDir, ...(await inspectDataDir(dataDir)) }
}

/** Checks that `file` is a backup this build can restore; returns what it says about itself. */
export function readBackupInfo(file: string): Record<string, string> {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new Error(`restore: cannot open ${file}: ${(err as Error).message}`)
  }
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[])
    if (db.pragma('application_id', { simple: true }) !== SQLITE_APPLICATION_ID || !tables.has(INFO_TABLE) || !tables.has(FILES_TABLE)) {
      throw new Error(`restore: ${file} is not a Chorus Mesh backup (make one with chorus-mesh backup)`)
    }
    const info = Object.fromEntries((db.prepare(`SELECT key, value FROM ${INFO_TABLE}`).all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]))
    if (Number(info.format) > FORMAT) throw new Error(`restore: ${file} has backup format ${info.format}, newer than this build's ${FORMAT}; use a newer Chorus Mesh`)
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new Error(`restore: ${file} is damaged (${String(check)})`)
    return info
  } catch (err) {
    if ((err as Error).message.startsWith('restore:')) throw err
    throw new Error(`restore: ${file} is not a Chorus Mesh backup (${(err as Error).message})`)
  } finally {
    db.close()
  }
}

function servedRoom(db: Database.Database): string | undefined {
  return db.prepare("SELECT room FROM meta WHERE key = 'served' AND value = 'yes' LIMIT 1").pluck().get() as string | undefined
}
