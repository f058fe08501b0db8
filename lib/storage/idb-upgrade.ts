/**
 * The IndexedDB event database's version steps (ADR 0032: appended, never edited). Version 3
 * moves every event of the per-event store into slabs (ADR 0069) inside the upgrade
 * transaction: a failure there aborts it and leaves the database as it was, so an upgrade
 * either moves every event or none.
 */
import type { StoredRecord } from './event-store'
import { chunk, toSlab } from './idb-slabs'

interface Row extends StoredRecord {
  room: string
}

/** Runs the steps from `oldVersion` up to the current version; `onError` hears why a step failed. */
export function upgradeEventsDb(db: IDBDatabase, oldVersion: number, tx: IDBTransaction, onError: (err: unknown) => void): void {
  if (oldVersion < 1) {
    const events = db.createObjectStore('events', { keyPath: ['room', 'id'] })
    events.createIndex('order', ['room', 'lamport', 'id'])
    events.createIndex('author', ['room', 'author', 'seq'])
    db.createObjectStore('meta', { keyPath: ['room', 'key'] })
  }
  // No query reads the author index, and every record paid a third index entry for it.
  if (oldVersion < 2) tx.objectStore('events').deleteIndex('author')
  // One record per write instead of one per event; the events move over.
  if (oldVersion < 3) {
    db.createObjectStore('slabs', { keyPath: ['room', 'id'] }).createIndex('ids', 'keys', { unique: true, multiEntry: true })
    moveEventsToSlabs(db, tx.objectStore('events'), tx.objectStore('slabs'), onError)
  }
}

/**
 * Copies every record of the per-event store into slabs, room by room, in pages, then drops
 * that store. Each step runs inside the previous request's success event, so the upgrade
 * transaction stays active throughout; an exception there aborts the upgrade.
 */
function moveEventsToSlabs(db: IDBDatabase, events: IDBObjectStore, slabs: IDBObjectStore, onError: (err: unknown) => void): void {
  const page = 2048
  const next = (after: IDBValidKey | undefined) => {
    const req = events.getAll(after === undefined ? null : IDBKeyRange.lowerBound(after, true), page)
    req.onsuccess = () => {
      try {
        const rows = req.result as Row[]
        // Rows come in [room, id] order: each room's run is consecutive and its ids unique.
        for (let i = 0; i < rows.length; ) {
          let j = i
          while (j < rows.length && rows[j].room === rows[i].room) j++
          const records = rows.slice(i, j).map((r): StoredRecord => ({ id: r.id, bytes: r.bytes, author: r.author, seq: r.seq, lamport: r.lamport, kind: r.kind }))
          for (const run of chunk(records)) slabs.add(toSlab(rows[i].room, run))
          i = j
        }
        if (rows.length === page) next([rows[page - 1].room, rows[page - 1].id])
        else db.deleteObjectStore('events')
      } catch (err) {
        onError(err)
        throw err
      }
    }
  }
  next(undefined)
}
