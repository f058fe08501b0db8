import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { StoredRecord } from './event-store'
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
    expect(await upgraded.count('roomSlabs')).toBe(1)
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

  it('two connections (two tabs) writing one room keep every id once, the first written, in gap-free slabs (property)', async () => {
    // Writes from both connections, launched a group at a time: a group's writes race; the
    // groups follow each other. An id's bytes name the write that carried it.
    const arbWrite = fc.record({ tab: fc.integer({ min: 0, max: 1 }), ids: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(arbWrite, { minLength: 1, maxLength: 4 }), { maxLength: 6 }), async (groups) => {
        const name = freshName()
        const tabs = [await openIdbStore({ name }), await openIdbStore({ name })]
        const kept = new Map<string, Set<number>>()
        let w = 0
        let added = 0
        for (const group of groups) {
          const writes = group.map(({ tab, ids }) => {
            const tag = w++
            const records = ids.map((i) => record(`e${i}`, i, { bytes: new Uint8Array([i, tag]) }))
            return tabs[tab].putMany('r', records, { durability: tag % 2 === 0 ? 'strict' : 'relaxed' })
          })
          // The candidates for an id's kept record: every write of the first group that carried it.
          const first = new Map<string, Set<number>>()
          group.forEach(({ ids }, j) => ids.forEach((i) => first.set(`e${i}`, (first.get(`e${i}`) ?? new Set()).add(w - group.length + j))))
          for (const [id, tags] of first) if (!kept.has(id)) kept.set(id, tags)
          for (const n of await Promise.all(writes)) added += n
        }
        expect(added).toBe(kept.size)
        for (const tab of tabs) {
          const all = await tab.loadAll('r')
          expect(all.map((r) => r.id).sort()).toEqual([...kept.keys()].sort())
          for (const r of all) expect(kept.get(r.id)?.has(r.bytes[1])).toBe(true)
          expect(await tab.count('r')).toBe(kept.size)
        }
        // Both connections return the same record for every id.
        expect(await tabs[0].loadAll('r')).toEqual(await tabs[1].loadAll('r'))
        for (const tab of tabs) await tab.close()
        const raw = await openDB(name, IDB_SCHEMA_VERSION)
        const ns = ((await raw.getAllKeys('roomSlabs')) as [string, number][]).map(([, k]) => k)
        expect(ns).toEqual(ns.map((_, i) => i + 1))
        raw.close()
      }),
      { numRuns: 40 },
    )
  })
})
