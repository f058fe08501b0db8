import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { expectStoreError, record, runEventStoreContract } from './event-store.contract'
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
    expect(await upgraded.count('events')).toBe(1)
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

  it('upgrades a version 1 database in place: its records stay, the unused author index goes', async () => {
    const name = freshName()
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        const events = db.createObjectStore('events', { keyPath: ['room', 'id'] })
        events.createIndex('order', ['room', 'lamport', 'id'])
        events.createIndex('author', ['room', 'author', 'seq'])
        db.createObjectStore('meta', { keyPath: ['room', 'key'] })
      },
    })
    const old = record('a', 1)
    await v1.put('events', { room: 'r', ...old, bytes: old.bytes.slice() })
    v1.close()
    const store = await openIdbStore({ name })
    expect((await store.loadAll('r')).map((r) => r.id)).toEqual(['a'])
    expect(await store.putMany('r', [old, record('b', 2)])).toBe(1)
    await store.close()
    const raw = await openDB(name, IDB_SCHEMA_VERSION)
    expect([...raw.transaction('events').store.indexNames]).toEqual(['order'])
    raw.close()
  })
})
