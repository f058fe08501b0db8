/**
 * What a Node replica (relay or agent) holds, read from its SQLite file while the process runs
 * (WAL lets a reader in beside the writer): the data directories are on the machine's disk, so
 * the harness needs no network path into the namespaces to compare replicas. The root is the
 * sync summary's Merkle root (lib/core/log/summary.ts) — what tabs show and sync compares —
 * computed from the stored chains; equal roots mean equal event sets.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { encodeCanonical } from '../../lib/core/events/codec'
import { merkleRoot } from '../../lib/core/log/merkle'
import { DEFAULT_SQLITE_FILE } from '../../lib/storage/sqlite-store'

export interface StoredReplica {
  room: string | null
  events: number
  /** Summary root; `forked` when an author has two events at one seq (the harness expects none). */
  root: string
}

/** Reads the replica in `dir` (a relay's data directory or an agent's `<data>/agents/<name>`). */
export function readReplica(dir: string): StoredReplica {
  const file = join(dir, DEFAULT_SQLITE_FILE)
  if (!existsSync(file)) return { room: null, events: 0, root: 'none' }
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    const rooms = db.prepare('SELECT DISTINCT room FROM events').all() as { room: string }[]
    if (rooms.length === 0) return { room: null, events: 0, root: 'none' }
    const room = rooms.length === 1 ? rooms[0].room : servedRoom(db) ?? rooms[0].room
    const heads = db
      .prepare('WITH tops AS (SELECT author, MAX(seq) AS seq FROM events WHERE room = ? GROUP BY author) SELECT e.author, e.seq, e.id FROM events e JOIN tops t ON e.author = t.author AND e.seq = t.seq WHERE e.room = ?')
      .all(room, room) as { author: string; seq: number; id: string }[]
    const events = (db.prepare('SELECT COUNT(*) AS n FROM events WHERE room = ?').get(room) as { n: number }).n
    const byAuthor = new Map<string, typeof heads>()
    for (const h of heads) byAuthor.set(h.author, [...(byAuthor.get(h.author) ?? []), h])
    if ([...byAuthor.values()].some((hs) => hs.length > 1)) return { room, events, root: 'forked' }
    const leaves = [...byAuthor.keys()].sort().map((a) => {
      const h = byAuthor.get(a)![0]
      return encodeCanonical([h.author, h.seq, h.id, null])
    })
    return { room, events, root: merkleRoot(leaves) }
  } finally {
    db.close()
  }
}

function servedRoom(db: Database.Database): string | null {
  const row = db.prepare("SELECT room FROM meta WHERE key = 'served'").get() as { room: string } | undefined
  return row?.room ?? null
}

/** Which of `ids` the replica in `dir` lacks. */
export function missingIds(dir: string, ids: readonly string[]): string[] {
  const file = join(dir, DEFAULT_SQLITE_FILE)
  if (!existsSync(file)) return [...ids]
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    const has = db.prepare('SELECT 1 FROM events WHERE id = ?')
    return ids.filter((id) => has.get(id) == null)
  } finally {
    db.close()
  }
}
