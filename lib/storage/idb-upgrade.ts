/**
 * The IndexedDB event database's version steps (ADR 0032: appended, never edited). Version 3
 * moves every event of the per-event store into slabs (ADR 0069); version 4 numbers each room's
 * slabs and drops the per-event `ids` index (ADR 0097). Both move data inside the upgrade
 * transaction: a failure there aborts it and leaves the database as it was, so an upgrade
 * either moves every event or none. A step that moves data starts the next step from its last
 * request's success event, so the steps run in order within the one transaction.
 */
import type { StoredRecord } from './event-store'
import { chunk, toSlab, type Slab } from './idb-slabs'

interface Row extends StoredRecord {
  room: string
}

/** A slab as version 3 stored it: keyed by [room, id of its first event], `keys` = `room + ' ' + id`. */
interface SlabV3 extends Omit<Slab, 'n' | 'ids'> {
  id: string
  keys: string[]
}

type Step = (next: () => void) => void

/** Runs the steps from `oldVersion` up to the current version; `onError` hears why a step failed. */
export function upgradeEventsDb(db: IDBDatabase, oldVersion: number, tx: IDBTransaction, onError: (err: unknown) => void): void {
  const steps: Step[] = []
  if (oldVersion < 1) {
    steps.push((next) => {
      const events = db.createObjectStore('events', { keyPath: ['room', 'id'] })
      events.createIndex('order', ['room', 'lamport', 'id'])
      events.createIndex('author', ['room', 'author', 'seq'])
      db.createObjectStore('meta', { keyPath: ['room', 'key'] })
      next()
    })
  }
  // No query reads the author index, and every record paid a third index entry for it.
  if (oldVersion < 2) {
    steps.push((next) => {
      tx.objectStore('events').deleteIndex('author')
      next()
    })
  }
  // One record per write instead of one per event; the events move over.
  if (oldVersion < 3) {
    steps.push((next) => {
      db.createObjectStore('slabs', { keyPath: ['room', 'id'] }).createIndex('ids', 'keys', { unique: true, multiEntry: true })
      moveEventsToSlabs(db, tx.objectStore('events'), tx.objectStore('slabs'), onError, next)
    })
  }
  // Slabs numbered per room, no index entry per event; the slabs move over.
  if (oldVersion < 4) {
    steps.push((next) => {
      db.createObjectStore('roomSlabs', { keyPath: ['room', 'n'] })
      numberSlabs(db, tx.objectStore('slabs'), tx.objectStore('roomSlabs'), onError, next)
    })
  }
  const run = (i: number): void => {
    if (i < steps.length) steps[i](() => run(i + 1))
  }
  run(0)
}

/**
 * Copies every record of the per-event store into slabs, room by room, in pages, then drops
 * that store. Each step runs inside the previous request's success event, so the upgrade
 * transaction stays active throughout; an exception there aborts the upgrade.
 */
function moveEventsToSlabs(db: IDBDatabase, events: IDBObjectStore, slabs: IDBObjectStore, onError: (err: unknown) => void, done: () => void): void {
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
          for (const run of chunk(records)) slabs.add(toSlabV3(rows[i].room, run))
          i = j
        }
        if (rows.length === page) next([rows[page - 1].room, rows[page - 1].id])
        else {
          db.deleteObjectStore('events')
          done()
        }
      } catch (err) {
        onError(err)
        throw err
      }
    }
  }
  next(undefined)
}

/** Version 3's slab of these records. */
function toSlabV3(room: string, records: readonly StoredRecord[]): SlabV3 {
  const { n: _n, ids, ...rest } = toSlab(room, 0, records)
  return { ...rest, id: records[0].id, keys: ids.map((id) => `${room} ${id}`) }
}

/**
 * Copies every version 3 slab into the numbered store — each room's slabs numbered 1, 2, 3… in
 * key order (version 3's unique index kept every id in one slab, so the numbering needs no
 * deduplication) — in pages, then drops the version 3 store and its index. As above, each page
 * is read from the previous one's success event.
 */
function numberSlabs(db: IDBDatabase, from: IDBObjectStore, to: IDBObjectStore, onError: (err: unknown) => void, done: () => void): void {
  const page = 16
  const numbered = new Map<string, number>()
  const next = (after: IDBValidKey | undefined) => {
    const req = from.getAll(after === undefined ? null : IDBKeyRange.lowerBound(after, true), page)
    req.onsuccess = () => {
      try {
        const old = req.result as SlabV3[]
        for (const { id: _first, keys, ...rest } of old) {
          const n = (numbered.get(rest.room) ?? 0) + 1
          numbered.set(rest.room, n)
          const slab: Slab = { ...rest, n, ids: keys.map((k) => k.slice(rest.room.length + 1)) }
          to.add(slab)
        }
        if (old.length === page) next([old[page - 1].room, old[page - 1].id])
        else {
          db.deleteObjectStore('slabs')
          done()
        }
      } catch (err) {
        onError(err)
        throw err
      }
    }
  }
  next(undefined)
}
