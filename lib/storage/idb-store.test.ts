import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { compareRecords, type StoredRecord } from './event-store'
import { expectStoreError, record, runEventStoreContract } from './event-store.contract'
import { SLAB_MAX_EVENTS } from './idb-slabs'
import { IDB_EVENTS_DB, IDB_SCHEMA_VERSION, openIdbStore } from './idb-store'

let n = 0
const freshName = () => `chorus-mesh-events-test-${n++}`

runEventStoreContract('indexeddb (fake-indexeddb)', () => {
  const name = freshName()
  return { open: () => openIdbStore({ name }) }
}, { persistent: true })

describe('indexeddb store', () => {
  it('uses its own database, not the identity database chorus-mesh', () => {
    expect(IDB_EVENTS_DB).toBe('chorus-mesh-events')
  })

  it('refuses a database created by a newer build, with reason version', async () => {
    const name = freshName()
    const newer = await openDB(name, IDB_SCHEMA_VERSION + 1)
    newer.close()
    const err = await expectStoreError(openIdbStore({ name }), 'version')
    expect(err.message).toContain(name)
  })

  it('steps aside when another tab upgrades the database, then fails calls with reason closed', async () => {
    const name = freshName()
    const store = await openIdbStore({ name })
    await store.putMany('r', [record('a', 1)])
    const upgraded = await openDB(name, IDB_SCHEMA_VERSION + 1)
    const err = await expectStoreError(store.count('r'), 'closed')
    expect(err.message).toContain('another tab upgraded')
    expect(await upgraded.countFromIndex('slabs', 'ids')).toBe(1)
    upgraded.close()
  })

  it('writes strictly unless relaxed is asked for (events received from peers, ADR 0067)', async () => {
    const store = await openIdbStore({ name: freshName() })
    const asked: unknown[] = []
    const proto = IDBDatabase.prototype as unknown as { transaction: (...args: unknown[]) => unknown }
    const original = proto.transaction
    proto.transaction = function (this: unknown, ...args: unknown[]) {
      if (args[1] === 'readwrite') asked.push((args[2] as { durability?: string } | undefined)?.durability)
      return original.apply(this, args)
    }
    try {
      await store.putMany('r', [record('a', 1)])
      await store.putMany('r', [record('b', 2)], { durability: 'relaxed' })
      await store.putMany('r', [record('c', 3)], { durability: 'strict' })
      await store.setMeta('r', 'k', 'v')
    } finally {
      proto.transaction = original
    }
    expect(asked).toEqual(['strict', 'relaxed', 'strict', 'strict'])
    expect(await store.count('r')).toBe(3)
    await store.close()
  })

  it.each([1, 2])('upgrades a version %i database in place: every event kept, found, ordered and deduplicated', async (version) => {
    const name = freshName()
    const old = await openDB(name, version, {
      upgrade(db) {
        const events = db.createObjectStore('events', { keyPath: ['room', 'id'] })
        events.createIndex('order', ['room', 'lamport', 'id'])
        if (version === 1) events.createIndex('author', ['room', 'author', 'seq'])
        db.createObjectStore('meta', { keyPath: ['room', 'key'] })
      },
    })
    // More than one page of the move and more than one slab per room, in two rooms.
    const rooms = { r: 2500, s: 700 }
    const written: Record<string, StoredRecord[]> = {}
    for (const [room, n] of Object.entries(rooms)) {
      written[room] = Array.from({ length: n }, (_, i) => record(`${room}${i}`, (i * 7919) % 613, { bytes: new Uint8Array([i % 256, i >> 8, 7]) }))
      const tx = old.transaction('events', 'readwrite')
      for (const r of written[room]) void tx.store.put({ room, ...r })
      await tx.done
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
    expect([...raw.objectStoreNames].sort()).toEqual(['meta', 'slabs'])
    raw.close()
  })

  it('keeps a version 2 database as it was when a record cannot be moved, and says why', async () => {
    const name = freshName()
    const old = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('events', { keyPath: ['room', 'id'] }).createIndex('order', ['room', 'lamport', 'id'])
        db.createObjectStore('meta', { keyPath: ['room', 'key'] })
      },
    })
    await old.put('events', { room: 'r', ...record('a', 1) })
    await old.put('events', { room: 'r', ...record('b', 2), bytes: undefined })
    old.close()
    const err = await expectStoreError(openIdbStore({ name }), 'io')
    expect(err.message).toContain('upgrade failed')
    const raw = await openDB(name)
    expect(raw.version).toBe(2)
    expect(await raw.count('events')).toBe(2)
    raw.close()
  })

  it('finds every id written in slabs, and writes only the new ones of a batch that repeats some', async () => {
    const store = await openIdbStore({ name: freshName() })
    const first = Array.from({ length: SLAB_MAX_EVENTS + 3 }, (_, i) => record(`a${i}`, i))
    expect(await store.putMany('r', first, { durability: 'relaxed' })).toBe(first.length)
    // The repeated ids sit in the middle and at the end of the old slabs, and first in the new one.
    const again = [first[SLAB_MAX_EVENTS + 2], record('b0', 0), first[7], record('b1', 3)]
    expect(await store.putMany('r', again, { durability: 'relaxed' })).toBe(2)
    for (const r of [...first, again[1], again[3]]) expect(await store.get('r', r.id)).toEqual(r)
    expect(await store.count('r')).toBe(first.length + 2)
    await store.close()
  })
})
