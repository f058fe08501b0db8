import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventStore, StoredRecord } from './event-store'
import { record } from './event-store.contract'
import { IDB_SCHEMA_VERSION, openIdbStore } from './idb-store'
import { readNotice } from './idb-share'
import { TestLocks } from './testing/locks'
import { until } from './testing/until'

let n = 0
const freshName = () => `chorus-mesh-share-test-${n++}`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const ev = (i: number): StoredRecord => record(`e${i}`, i)

/** What each connection (by the order it was opened) asked of IndexedDB. */
interface Asked {
  /** Readwrite transactions, by durability, and those that aborted. */
  relaxed: number
  strict: number
  aborted: number
  /** Ids sent to `add` in transactions that committed, and in all of them. */
  committed: string[]
  sent: number
}

const asked = new Map<IDBDatabase, Asked>()
const connections: IDBDatabase[] = []
const restore: Array<() => void> = []

beforeAll(() => {
  const open = indexedDB.open.bind(indexedDB)
  indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
    const req = open(...args)
    req.addEventListener('success', () => {
      connections.push(req.result)
      asked.set(req.result, { relaxed: 0, strict: 0, aborted: 0, committed: [], sent: 0 })
    })
    return req
  }
  const proto = IDBDatabase.prototype as unknown as { transaction: (...a: unknown[]) => IDBTransaction }
  const transaction = proto.transaction
  proto.transaction = function (this: IDBDatabase, ...args: unknown[]) {
    const tx = transaction.apply(this, args)
    const a = asked.get(this)
    if (a === undefined || args[1] !== 'readwrite') return tx
    if ((args[2] as { durability?: string } | undefined)?.durability === 'relaxed') a.relaxed++
    else a.strict++
    const ids: string[] = []
    const store = tx.objectStore('roomSlabs')
    const add = store.add.bind(store)
    store.add = (value: { ids: string[] }, key?: IDBValidKey) => {
      ids.push(...value.ids)
      a.sent += value.ids.length
      return add(value, key)
    }
    tx.addEventListener('complete', () => a.committed.push(...ids))
    tx.addEventListener('abort', () => a.aborted++)
    return tx
  }
  restore.push(() => (indexedDB.open = open), () => (proto.transaction = transaction))
})
afterAll(() => restore.forEach((r) => r()))

/** Opens `count` connections to one new database, sharing through `locks`; returns them with what each asks. */
async function tabs(count: number, locks: TestLocks, followMs: number): Promise<{ name: string; stores: EventStore[]; asked: Asked[] }> {
  const name = freshName()
  const stores: EventStore[] = []
  const mine: Asked[] = []
  for (let i = 0; i < count; i++) {
    stores.push(await openIdbStore({ name, share: { locks, followMs } }))
    mine.push(asked.get(connections[connections.length - 1])!)
  }
  return { name, stores, asked: mine }
}

/** Every record of `room` once, from a connection of its own; and whether the slabs are numbered 1…n. */
async function stored(name: string): Promise<{ ids: string[]; gapFree: boolean }> {
  const s = await openIdbStore({ name, share: false })
  const ids = (await s.loadAll('r')).map((r) => r.id)
  await s.close()
  const raw = await openDB(name, IDB_SCHEMA_VERSION)
  const ns = ((await raw.getAllKeys('roomSlabs')) as [string, number][]).map(([, k]) => k)
  raw.close()
  return { ids, gapFree: ns.every((k, i) => k === i + 1) }
}

/** Each tab receives events 0…count-1 in order, in batches of its own sizes, each batch after a delay, none awaited before the next. */
async function receive(store: EventStore, count: number, sizes: number[], delays: number[]): Promise<{ ids: string[]; put: Promise<number> }[]> {
  const puts: { ids: string[]; put: Promise<number> }[] = []
  for (let i = 0, b = 0; i < count; b++) {
    await sleep(delays[b % delays.length])
    const batch = Array.from({ length: Math.min(sizes[b % sizes.length], count - i) }, (_, k) => ev(i + k))
    i += batch.length
    // A put after the store closed throws at once; it is a put that was never acknowledged.
    const put = Promise.resolve().then(() => store.putMany('r', batch, { durability: 'relaxed' }))
    put.catch(() => undefined)
    puts.push({ ids: batch.map((r) => r.id), put })
  }
  return puts
}

const arbTab = fc.record({ sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }), delays: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }) })

describe('several connections (tabs) of one database, sharing the writes of received events', () => {
  it('write each received event once, from one connection, with no aborted transaction (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbTab, { minLength: 2, maxLength: 3 }), fc.integer({ min: 1, max: 30 }), async (streams, count) => {
        const locks = new TestLocks()
        const { name, stores, asked: a } = await tabs(streams.length, locks, 60_000)
        const puts = await Promise.all(stores.map((s, t) => receive(s, count, streams[t].sizes, streams[t].delays)))
        const written = await Promise.all(puts.flat().map((p) => p.put))
        expect(written.reduce((x, y) => x + y, 0)).toBe(count)
        expect(a.map((x) => x.aborted)).toEqual(a.map(() => 0))
        expect(a.reduce((s, x) => s + x.sent, 0)).toBe(count)
        // Every write came from one connection: the one holding the room's writer lock.
        expect(a.filter((x) => x.relaxed > 0)).toHaveLength(1)
        const { ids, gapFree } = await stored(name)
        expect(ids.sort()).toEqual(Array.from({ length: count }, (_, i) => `e${i}`).sort())
        expect(gapFree).toBe(true)
        for (const s of stores) await s.close()
      }),
      { numRuns: 25 },
    )
  })

  it('keep every acknowledged event when the writer closes mid-stream: the next connection in line takes over (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbTab, { minLength: 2, maxLength: 3 }),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.record({ tab: fc.nat(2), after: fc.nat(29) }), { maxLength: 4 }),
        async (streams, count, closeAfterMs, own) => {
          const locks = new TestLocks()
          const { name, stores, asked: a } = await tabs(streams.length, locks, 60_000)
          // Tab 0 writes first, so it is the writer: it asked for the lock before the others.
          await stores[0].putMany('r', [ev(0)], { durability: 'relaxed' })
          await until('tab 0 writes the room', () => locks.held(`${name}:writer:r`), 2000)
          const acked = new Set<string>()
          const ack = (p: Promise<unknown>, ids: string[]) => p.then(() => ids.forEach((id) => acked.add(id)), () => undefined)
          const closing = sleep(closeAfterMs).then(() => stores[0].close())
          // The followers have written nothing relaxed while the writer was open.
          const beforeClose = closing.then(() => a.slice(1).map((x) => x.relaxed))
          const runs = stores.map(async (s, t) => {
            const puts = await receive(s, count, streams[t].sizes, streams[t].delays)
            await Promise.all(puts.map((p) => ack(p.put, p.ids)))
            return puts
          })
          const ownPuts = own
            .filter((o) => o.tab < stores.length)
            .map((o, i) => {
              const r = record(`own${i}`, o.after)
              return sleep(o.after).then(() => ack(stores[o.tab].putMany('r', [ev(o.after % count), r]), [r.id]))
            })
          const followers = await Promise.all(runs.slice(1))
          await Promise.all([...ownPuts, closing])
          // Every follower's receipt resolves: the next writer or the followers themselves stored it.
          for (const puts of followers) expect((await Promise.allSettled(puts.map((p) => p.put))).every((r) => r.status === 'fulfilled')).toBe(true)
          expect(await beforeClose).toEqual(a.slice(1).map(() => 0))
          const { ids, gapFree } = await stored(name)
          expect(new Set(ids).size).toBe(ids.length)
          for (let i = 0; i < count; i++) expect(ids).toContain(`e${i}`)
          for (const id of acked) expect(ids).toContain(id)
          expect(gapFree).toBe(true)
          for (const s of stores.slice(1)) await s.close()
          await runs[0].catch(() => undefined)
        },
      ),
      { numRuns: 25 },
    )
  })
})

describe('notices', () => {
  it('reads a notice of committed slabs, and refuses anything else (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (data) => {
        const got = readNotice(data)
        if (got === undefined) return
        expect(typeof got.room).toBe('string')
        for (const s of got.slabs) {
          expect(Number.isSafeInteger(s.n) && s.n >= 1).toBe(true)
          expect(s.ids.every((id) => typeof id === 'string')).toBe(true)
        }
      }),
    )
    expect(readNotice({ room: 'r', slabs: [{ n: 3, ids: ['a', 'b'] }] })).toEqual({ room: 'r', slabs: [{ n: 3, ids: ['a', 'b'] }] })
    for (const bad of [null, 1, { room: 'r' }, { room: 'r', slabs: [{ n: 0, ids: [] }] }, { room: 'r', slabs: [{ n: 1, ids: [1] }] }, { room: 1, slabs: [] }]) {
      expect(readNotice(bad)).toBeUndefined()
    }
  })
})
