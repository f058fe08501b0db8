/**
 * The SQLite event store's schema and its migrations (ADR 0031).
 *
 * `PRAGMA user_version` is the number of migrations applied. A migration is appended, never
 * edited; each runs in one transaction together with the version bump, so a crash mid-way
 * leaves the file at the old version, and the next start retries it.
 */
import type Database from 'better-sqlite3'
import { StoreError } from './event-store'

/** Marks the file as a Chorus Mesh event store: 'CMev'. */
export const SQLITE_APPLICATION_ID = 0x434d6576

/** Migration i takes the schema from version i to i + 1. */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) =>
    db.exec(`
      -- A rowid table, not WITHOUT ROWID: rows carry up to 64 KiB of bytes.
      CREATE TABLE events (
        room    TEXT    NOT NULL,
        id      TEXT    NOT NULL,
        author  TEXT    NOT NULL,
        seq     INTEGER NOT NULL,
        lamport INTEGER NOT NULL,
        kind    TEXT    NOT NULL,
        bytes   BLOB    NOT NULL,
        UNIQUE (room, id)
      );
      -- Replay order; covers the keyset pagination of scan().
      CREATE INDEX events_order ON events (room, lamport, id);
      -- Per-author chains, for sync and equivocation lookups. Not unique: forks are evidence.
      CREATE INDEX events_author ON events (room, author, seq);
      -- value has no declared type, so SQLite keeps TEXT as TEXT and BLOB as BLOB.
      CREATE TABLE meta (
        room  TEXT NOT NULL,
        key   TEXT NOT NULL,
        value NOT NULL,
        PRIMARY KEY (room, key)
      );
    `),
  // No query reads events by author (chains and forks are checked in the replica's memory), and
  // the index would add a third B-tree to every insert: about a tenth of the store's CPU per event.
  (db) => db.exec('DROP INDEX IF EXISTS events_author'),
]

/** The schema version this build writes. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length

/** Brings the file to the latest version (tests pass their own list); the caller has checked it is not newer. */
export function migrate(db: Database.Database, migrations = MIGRATIONS): void {
  const from = db.pragma('user_version', { simple: true }) as number
  for (let v = from; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v](db)
      db.pragma(`application_id = ${SQLITE_APPLICATION_ID}`)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}

/** Refuses files from a newer build and SQLite files that are not a Chorus Mesh event store. */
export function checkOwnership(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number
  const appId = db.pragma('application_id', { simple: true }) as number
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new StoreError(
      'version',
      `${file} has event-store schema version ${version}, newer than this build's ${SQLITE_SCHEMA_VERSION}; ` +
        'refusing to open it (run a newer Chorus Mesh, or move the file aside)',
    )
  }
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number
  const fresh = version === 0 && appId === 0 && tables === 0
  if (!fresh && appId !== SQLITE_APPLICATION_ID) {
    throw new StoreError('corrupt', `${file} is an SQLite database but not a Chorus Mesh event store (application_id ${appId})`)
  }
}
