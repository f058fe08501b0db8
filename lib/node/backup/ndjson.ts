/**
 * `chorus-mesh export` / `import`: a room's raw signed events as NDJSON, one event a line in
 * replay order (`{"id","author","seq","lamport","kind","bytes"}`, bytes in base64). The bytes
 * are the signed event itself, so a file carries its own proof: import verifies every line
 * the way a peer verifies what it receives, and writes nothing unless every line is admitted.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import Database from 'better-sqlite3'
import { z } from 'zod'
import { decodeEvent } from '../../core/events/codec'
import type { RoomId } from '../../core/ids'
import { libp2pVerifier, nativeSha256 } from '../../net/keys'
import { ReplicaHost } from '../../net/replica-host'
import { createMemoryStore } from '../../storage/memory-store'
import { DEFAULT_SQLITE_FILE, openSqliteStore } from '../../storage/sqlite-store'
import { SQLITE_APPLICATION_ID } from '../../storage/sqlite-schema'
import { requireStopped } from '../relay/pidfile'
import { servedRoomOf } from './inspect'

const lineSchema = z.object({
  id: z.string().optional(),
  bytes: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'bytes must be base64'),
})

/**
 * Writes the served room's events (or `room`'s) to `fd` as NDJSON, read in one transaction so
 * that a relay writing meanwhile yields a consistent cut. Resolves to the number written.
 */
export function exportEvents(dataDir: string, fd: number, room?: string): { room: string; events: number } {
  const file = join(dataDir, DEFAULT_SQLITE_FILE)
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new Error(`export: no relay data in ${dataDir} (${(err as Error).message})`)
  }
  try {
    if (db.pragma('application_id', { simple: true }) !== SQLITE_APPLICATION_ID) throw new Error(`export: ${file} is not a Chorus Mesh event store`)
    db.pragma('busy_timeout = 10000')
    const target = room ?? (db.prepare("SELECT room FROM meta WHERE key = 'served' AND value = 'yes' LIMIT 1").pluck().get() as string | undefined)
    if (target == null) throw new Error(`export: ${dataDir} serves no room yet`)
    const rows = db.prepare('SELECT id, author, seq, lamport, kind, bytes FROM events WHERE room = ? ORDER BY lamport, id')
    let n = 0
    db.transaction(() => {
      for (const r of rows.iterate(target) as IterableIterator<{ id: string; author: string; seq: number; lamport: number; kind: string; bytes: Buffer }>) {
        writeSync(fd, JSON.stringify({ id: r.id, author: r.author, seq: r.seq, lamport: r.lamport, kind: r.kind, bytes: r.bytes.toString('base64') }) + '\n')
        n++
      }
    })()
    if (n === 0) throw new Error(`export: ${dataDir} holds no events of room ${target}`)
    return { room: target, events: n }
  } finally {
    db.close()
  }
}

/** Exports to a file (created, mode 0600: events can carry invites) or stdout (`-`). */
export function exportToFile(dataDir: string, out: string, room?: string): { room: string; events: number } {
  if (out === '-') return exportEvents(dataDir, 1, room)
  const fd = openSync(out, 'wx', 0o600)
  try {
    return exportEvents(dataDir, fd, room)
  } finally {
    closeSync(fd)
  }
}

export interface ImportResult {
  room: string
  /** Lines read. */
  lines: number
  /** Events new to the store. */
  added: number
  digest: string
  root: string
}

/** One refused line: its number and why. */
export class ImportError extends Error {
  constructor(readonly problems: string[]) {
    super(`import refused, nothing written (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.slice(0, 10).join('\n  ')}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`)
  }
}

/**
 * Imports NDJSON events into `dataDir`'s store (a fresh directory, or one serving the same
 * room): parsed and verified first, in a replica that also holds what the store has; only
 * when every line is admitted are the new events written, in one transaction.
 */
export async function importEvents(input: Readable, dataDir: string): Promise<ImportResult> {
  requireStopped(dataDir, 'import')
  const parsed: Array<{ line: number; bytes: Uint8Array; id?: string }> = []
  const problems: string[] = []
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++
    if (text.trim() === '') continue
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (err) {
      problems.push(`line ${line}: not JSON (${(err as Error).message})`)
      continue
    }
    const r = lineSchema.safeParse(json)
    if (!r.success) {
      problems.push(`line ${line}: ${r.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`)
      continue
    }
    parsed.push({ line, bytes: new Uint8Array(Buffer.from(r.data.bytes, 'base64')), id: r.data.id })
  }
  if (problems.length > 0) throw new ImportError(problems)
  if (parsed.length === 0) throw new Error('import: the input holds no events')
  const decoded = parsed.map((p) => ({ p, d: decodeEvent(p.bytes) }))
  const genesis = decoded.find(({ d }) => d.ok && d.value.event.kind === 'room.created')
  const store = await openSqliteStore({ dataDir, writer: 'inline' })
  try {
    const served = await servedRoomOf(store)
    const room: RoomId | undefined = served ?? (genesis?.d.ok ? genesis.d.value.id : undefined)
    if (room == null) {
      // A damaged genesis is the usual cause: name every line that is not an event at all.
      const undecodable = decoded.flatMap(({ p, d }) => (d.ok ? [] : [`line ${p.line}: not a signed event (${d.reason}: ${d.detail})`]))
      throw new ImportError([...undecodable, 'the input has no room.created event and the data directory serves no room: nothing says which room these events belong to'])
    }
    if (served != null && genesis?.d.ok && genesis.d.value.id !== served) {
      throw new Error(`import: the input is room ${genesis.d.value.id}, but ${dataDir} serves room ${served}`)
    }
    // Dry run: the store's events, then the file's, in a replica over memory.
    const scratch = createMemoryStore()
    const host = new ReplicaHost({ room, store: scratch, verifier: libp2pVerifier(), sha256: nativeSha256() })
    const existing: Uint8Array[] = []
    for await (const batch of store.scan(room)) for (const rec of batch) existing.push(rec.bytes)
    await host.ingest(existing)
    const results = await host.ingest(parsed.map((p) => p.bytes))
    host.close()
    for (let i = 0; i < parsed.length; i++) {
      const r = results[i]
      const p = parsed[i]
      if (p.id != null && r.id != null && r.id !== p.id) problems.push(`line ${p.line}: id ${p.id} does not match its bytes (${r.id})`)
      // A pending event may have been admitted by a later line; an equivocation is stored as evidence.
      if (r.id != null && (await scratch.has(room, r.id))) continue
      if (r.status === 'pending') problems.push(`line ${p.line} (${r.id}): refers to events neither the input nor the store has: ${r.missing.join(', ')}`)
      else if (r.status === 'rejected') problems.push(`line ${p.line}${r.id ? ` (${r.id})` : ''}: ${r.reason}: ${r.detail}`)
    }
    if (problems.length > 0) throw new ImportError(problems)
    const fresh = []
    for (const rec of await scratch.loadAll(room)) if (!(await store.has(room, rec.id))) fresh.push(rec)
    const added = await store.putMany(room, fresh)
    if (served == null) await store.setMeta(room, 'served', 'yes')
    return { room, lines: parsed.length, added, digest: host.replica.digest(), root: host.replica.summary().root }
  } finally {
    await store.close()
  }
}
