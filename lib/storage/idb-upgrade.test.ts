import 'fake-indexeddb/auto'
import { openDB, type IDBPDatabase } from 'idb'
import { describe, expect, it } from 'vitest'
import { compareRecords, type StoredRecord } from './event-store'
import { expectStoreError, record } from './event-store.contract'
import { SLAB_MAX_EVENTS } from './idb-slabs'
import { IDB_SCHEMA_VERSION, openIdbStore } from './idb-store'

let n = 0
const freshName = () => `chorus-mesh-events-upgrade-test-${n++}`

/** Writes `records` into a database of an older version the way that version laid them out. */
async function writeOld(db: IDBPDatabase, version: number, room: string, records: readonly StoredRecord[]): Promise<void> {
  if (version < 3) {
    const tx = db.transaction('events', 'readwrite')
    for (const r of records) void tx.store.put({ room, ...r })
    return tx.done
  }
  // Version 3: one slab per SLAB_MAX_EVENTS records, keyed by [room, first id], `keys` = room + ' ' + id.
  const tx = db.transaction('slabs', 'readwrite')
  for (let i = 0; i < records.length; i += SLAB_MAX_EVENTS) {
    const run = records.slice(i, i + SLAB_MAX_EVENTS)
    const bytes = new Uint8Array(run.reduce((sum, r) => sum + r.bytes.byteLength, 0))
    const ends = new Uint32Array(run.length)
    let at = 0
    run.forEach((r, j) => {
      bytes.set(r.bytes, at)
      ends[j] = at += r.bytes.byteLength
    })
    void tx.store.add({
      room,
      id: run[0].id,
      keys: run.map((r) => `${room} ${r.id}`),
      lamports: Float64Array.from(run, (r) => r.lamport),
      seqs: Float64Array.from(run, (r) => r.seq),
      authors: run.map((r) => r.author),
      kinds: run.map((r) => r.kind),
      ends,
      bytes,
    })
  }
  return tx.done
}

/** Opens a database at `version` with that version's schema, as the build of the time made it. */
function openOld(name: string, version: number): Promise<IDBPDatabase> {
  return openDB(name, version, {
    upgrade(db) {
      if (version < 3) {
        const events = db.createObjectStore('events', { keyPath: ['room', 'id'] })
        events.createIndex('order', ['room', 'lamport', 'id'])
        if (version === 1) events.createIndex('author', ['room', 'author', 'seq'])
      } else db.createObjectStore('slabs', { keyPath: ['room', 'id'] }).createIndex('ids', 'keys', { unique: true, multiEntry: true })
      db.createObjectStore('meta', { keyPath: ['room', 'key'] })
    },
  })
}

describe('indexeddb store upgrades', () => {
  it.each([1, 2, 3])('upgrades a version %i database in place: every event kept, found, ordered and deduplicated', async (version) => {
    const name = freshName()
    const old = await openOld(name, version)
    // More than one page of each move and more than one slab per room, in two rooms.
    const rooms = { r: 9000, s: 700 }
    const written: Record<string, StoredRecord[]> = {}
    for (const [room, count] of Object.entries(rooms)) {
      written[room] = Array.from({ length: count }, (_, i) => record(`${room}${i}`, (i * 7919) % 613, { bytes: new Uint8Array([i % 256, i >> 8, 7]) }))
      await writeOld(old, version, room, written[room])
    }
    await old.put('meta', { room: 'r', key: 'genesis', value: 'r0' })
    old.close()
    const store = await openIdbStore({ name })
    for (const room of Object.keys(rooms)) {
      expect(await store.loadAll(room)).toEqual([...written[room]].sort(compareRecords))
      expect(await store.count(room)).toBe(written[room].length)
    }
    expect(await store.get('r', 'r1234')).toEqual(written.r[1234])
    expect(await store.has('s', 'r1')).toBe(false)
    expect(await store.getMeta('r', 'genesis')).toBe('r0')
    expect(await store.rooms()).toEqual(['r', 's'])
    expect(await store.putMany('r', [written.r[5], record('new', 1)])).toBe(1)
    await store.close()
    const raw = await openDB(name, IDB_SCHEMA_VERSION)
    expect([...raw.objectStoreNames].sort()).toEqual(['meta', 'roomSlabs'])
    // Each room's slabs are numbered 1…k without gaps, and nothing is indexed per event.
    const keys = (await raw.getAllKeys('roomSlabs')) as [string, number][]
    for (const room of Object.keys(rooms)) {
      const ns = keys.filter(([r]) => r === room).map(([, k]) => k)
      expect(ns).toEqual(ns.map((_, i) => i + 1))
    }
    expect([...raw.transaction('roomSlabs').store.indexNames]).toEqual([])
    raw.close()
  })

  it.each([2, 3])('keeps a version %i database as it was when a record cannot be moved, and says why', async (version) => {
    const name = freshName()
    const old = await openOld(name, version)
    await writeOld(old, version, 'r', [record('a', 1)])
    if (version < 3) await old.put('events', { room: 'r', ...record('b', 2), bytes: undefined })
    else await old.put('slabs', { room: 'r', id: 'b', keys: undefined })
    old.close()
    const err = await expectStoreError(openIdbStore({ name }), 'io')
    expect(err.message).toContain('upgrade failed')
    const raw = await openDB(name)
    expect(raw.version).toBe(version)
    expect(await raw.count(version < 3 ? 'events' : 'slabs')).toBe(2)
    raw.close()
  })
})
