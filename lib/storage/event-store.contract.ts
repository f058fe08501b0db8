/**
 * The one contract every EventStore passes (STYLE: "transport behind an interface with one
 * shared test suite", after automerge-repo's runNetworkAdapterTests). Each *-store.test.ts
 * calls {@link runEventStoreContract} with a setup that opens its store.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { StoreError, collect, compareRecords, type EventStore, type StoredRecord } from './event-store'

/** How the contract opens a store; `open` twice on one subject opens the same storage again. */
export interface ContractSubject {
  open(): Promise<EventStore>
}

/** What kind of store is under test; decides which cases apply (no case is registered and skipped). */
export interface ContractOptions {
  /** True if a closed store can be reopened with its data (SQLite, IndexedDB). */
  readonly persistent: boolean
}

/** A record whose bytes are derived from its id, so any mix-up shows. */
export function record(id: string, lamport: number, over: Partial<StoredRecord> = {}): StoredRecord {
  return { id, bytes: new TextEncoder().encode(`bytes of ${id}`), author: 'peerA', seq: lamport, lamport, kind: 'task.claimed', ...over }
}

/** Expects a promise to reject with a StoreError of this reason. */
export async function expectStoreError(p: Promise<unknown>, reason: StoreError['reason']): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(StoreError)
  expect((err as StoreError).reason).toBe(reason)
  return err as StoreError
}

const sorted = (rs: readonly StoredRecord[]) => [...rs].sort(compareRecords)

/** Runs the shared EventStore contract against one implementation. */
export function runEventStoreContract(name: string, setup: () => ContractSubject | Promise<ContractSubject>, options: ContractOptions): void {
  const withStore = (fn: (store: EventStore, subject: ContractSubject) => Promise<void>) => async () => {
    const subject = await setup()
    const store = await subject.open()
    try {
      await fn(store, subject)
    } finally {
      await store.close()
    }
  }

  describe(`EventStore contract: ${name}`, () => {
    it('starts empty', withStore(async (s) => {
      expect(await s.count('r')).toBe(0)
      expect(await s.loadAll('r')).toEqual([])
      expect(await collect(s.scan('r'))).toEqual([])
      expect(await s.has('r', 'x')).toBe(false)
      expect(await s.get('r', 'x')).toBeUndefined()
      expect(await s.getMeta('r', 'k')).toBeUndefined()
      expect(await s.rooms()).toEqual([])
    }))

    it('a relaxed write is read back, counted and deduplicated like a strict one', withStore(async (s) => {
      const a = record('a', 1)
      expect(await s.putMany('r', [a, record('b', 2)], { durability: 'relaxed' })).toBe(2)
      expect(await s.putMany('r', [a], { durability: 'strict' })).toBe(0)
      expect(await s.putMany('r', [record('c', 0), a], { durability: 'relaxed' })).toBe(1)
      expect((await collect(s.scan('r'))).map((r) => r.id)).toEqual(['c', 'a', 'b'])
      expect(await s.get('r', 'a')).toEqual(a)
    }))

    it('puts idempotently and counts only new records', withStore(async (s) => {
      const a = record('a', 1)
      const b = record('b', 2)
      expect(await s.putMany('r', [a, b, a])).toBe(2)
      expect(await s.putMany('r', [a, b])).toBe(0)
      expect(await s.putMany('r', [])).toBe(0)
      expect(await s.putMany('r', [record('c', 3), b])).toBe(1)
      expect(await s.count('r')).toBe(3)
      expect(await s.get('r', 'a')).toEqual(a)
      expect(await s.has('r', 'c')).toBe(true)
    }))

    it('keeps the first record stored under an id', withStore(async (s) => {
      await s.putMany('r', [record('a', 1)])
      await s.putMany('r', [record('a', 9, { bytes: new Uint8Array([9]), kind: 'other.kind' })])
      expect(await s.get('r', 'a')).toEqual(record('a', 1))
    }))

    it('keeps both records of an equivocation (same author and seq)', withStore(async (s) => {
      await s.putMany('r', [record('fork1', 5, { seq: 3 }), record('fork2', 6, { seq: 3 })])
      expect((await s.loadAll('r')).map((r) => r.id)).toEqual(['fork1', 'fork2'])
    }))

    it('loads in (lamport, id) order whatever the insertion order, with ties broken by id', withStore(async (s) => {
      const rs = [record('b', 2), record('z', 1), record('a', 2), record('m', 10), record('A', 2), record('c', 0)]
      await s.putMany('r', rs.slice(3))
      await s.putMany('r', rs.slice(0, 3))
      expect((await s.loadAll('r')).map((r) => r.id)).toEqual(['c', 'z', 'A', 'a', 'b', 'm'])
    }))

    it('loadAll is the sorted set of everything put, for any batches and duplicates (property)', withStore(async (s) => {
      let round = 0
      const arbRecord = fc
        .record({ id: fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), lamport: fc.nat(50), seq: fc.nat(5), size: fc.nat(40) })
        .map(({ id, lamport, seq, size }) => record(id, lamport, { seq, bytes: new Uint8Array(size).fill(id.charCodeAt(0)) }))
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(arbRecord, { maxLength: 20 }), { maxLength: 6 }), async (batches) => {
          const room = `prop-${round++}`
          const first = new Map<string, StoredRecord>()
          let added = 0
          for (const batch of batches) {
            for (const r of batch) if (!first.has(r.id)) first.set(r.id, r)
            added += await s.putMany(room, batch)
          }
          expect(added).toBe(first.size)
          expect(await s.loadAll(room)).toEqual(sorted([...first.values()]))
          expect(await s.count(room)).toBe(first.size)
        }),
        { numRuns: 30 },
      )
    }))

    it('scans in batches and resumes strictly after a cursor', withStore(async (s) => {
      const rs = Array.from({ length: 23 }, (_, i) => record(`e${String(i).padStart(2, '0')}`, i % 5))
      await s.putMany('r', rs)
      const all = await s.loadAll('r')
      const batches: StoredRecord[][] = []
      for await (const batch of s.scan('r', { batchSize: 5 })) batches.push(batch)
      expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 3])
      expect(batches.flat()).toEqual(all)
      expect(await collect(s.scan('r', { after: all[9], batchSize: 4 }))).toEqual(all.slice(10))
      expect(await collect(s.scan('r', { after: { lamport: 2, id: '' } }))).toEqual(all.filter((r) => r.lamport >= 2))
      await expectStoreError(collect(s.scan('r', { batchSize: 0 })), 'invalid')
    }))

    it('keeps rooms apart', withStore(async (s) => {
      await s.putMany('room1', [record('a', 1), record('b', 2)])
      await s.putMany('room2', [record('a', 7, { bytes: new Uint8Array([2]) })])
      await s.setMeta('room3', 'genesis', 'g')
      expect(await s.count('room1')).toBe(2)
      expect(await s.count('room2')).toBe(1)
      expect((await s.get('room2', 'a'))?.lamport).toBe(7)
      expect(await s.has('room2', 'b')).toBe(false)
      expect(await s.rooms()).toEqual(['room1', 'room2', 'room3'])
      await s.deleteMeta('room3', 'genesis')
      expect(await s.rooms()).toEqual(['room1', 'room2'])
    }))

    it('round-trips metadata as text or bytes, per room', withStore(async (s) => {
      await s.setMeta('r', 'genesis', 'bafy-genesis')
      await s.setMeta('r', 'membership', new Uint8Array([0, 1, 2, 255]))
      await s.setMeta('other', 'genesis', 'other-genesis')
      expect(await s.getMeta('r', 'genesis')).toBe('bafy-genesis')
      expect(await s.getMeta('r', 'membership')).toEqual(new Uint8Array([0, 1, 2, 255]))
      await s.setMeta('r', 'genesis', new Uint8Array([7]))
      expect(await s.getMeta('r', 'genesis')).toEqual(new Uint8Array([7]))
      await s.deleteMeta('r', 'genesis')
      await s.deleteMeta('r', 'never-set')
      expect(await s.getMeta('r', 'genesis')).toBeUndefined()
      expect(await s.getMeta('other', 'genesis')).toBe('other-genesis')
    }))

    it('returns bytes byte-identical, as plain Uint8Arrays the caller cannot alias', withStore(async (s) => {
      const big = new Uint8Array(64 * 1024).map((_, i) => (i * 7919) % 256)
      const backing = new Uint8Array(100).map((_, i) => i)
      const view = backing.subarray(10, 20)
      await s.putMany('r', [record('big', 1, { bytes: big }), record('view', 2, { bytes: view }), record('empty', 3, { bytes: new Uint8Array(0) })])
      backing.fill(0)
      const got = await s.get('r', 'big')
      expect(got?.bytes).toEqual(big)
      expect(Object.getPrototypeOf(got?.bytes)).toBe(Uint8Array.prototype)
      const v = await s.get('r', 'view')
      expect(v?.bytes).toEqual(new Uint8Array([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]))
      expect(v?.bytes.buffer.byteLength).toBe(10)
      v?.bytes.fill(0)
      expect((await s.get('r', 'view'))?.bytes[0]).toBe(10)
      expect((await s.get('r', 'empty'))?.bytes).toEqual(new Uint8Array(0))
    }))

    it('rejects invalid input as a whole batch, with reason invalid', withStore(async (s) => {
      const bad: StoredRecord[] = [
        record('ok', 1),
        record('bad', 1.5),
      ]
      await expectStoreError(s.putMany('r', bad), 'invalid')
      await expectStoreError(s.putMany('r', [record('naïve', 1)]), 'invalid')
      await expectStoreError(s.putMany('r', [record('x', 1, { bytes: [1, 2] as unknown as Uint8Array })]), 'invalid')
      await expectStoreError(s.putMany('', [record('x', 1)]), 'invalid')
      await expectStoreError(s.setMeta('r', 'k', 5 as unknown as string), 'invalid')
      expect(await s.count('r')).toBe(0)
    }))

    it('reads the whole batch before writing, so a record that fails to read writes nothing', withStore(async (s) => {
      const exploding = Object.defineProperty({ ...record('boom', 3) }, 'kind', {
        get: () => {
          throw new Error('unreadable field')
        },
      }) as StoredRecord
      await expect(s.putMany('r', [record('a', 1), record('b', 2), exploding])).rejects.toThrow('unreadable field')
      expect(await s.count('r')).toBe(0)
      expect(await s.putMany('r', [record('a', 1)])).toBe(1)
    }))

    it('stores a 20k-record batch', withStore(async (s) => {
      const n = 20_000
      const rs = Array.from({ length: n }, (_, i) => record(`ev${i}`, n - i, { author: `peer${i % 7}`, bytes: new Uint8Array(300).fill(i % 256) }))
      expect(await s.putMany('big', rs)).toBe(n)
      expect(await s.count('big')).toBe(n)
      const all = await s.loadAll('big')
      expect(all.length).toBe(n)
      expect(all[0].id).toBe(`ev${n - 1}`)
      expect(all[n - 1]).toEqual(rs[0])
    }))

    it('loses nothing to concurrent putMany calls, and counts each record once', withStore(async (s) => {
      const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 50 }, (_, i) => record(`c${(b * 30 + i) % 700}`, (b * 30 + i) % 700)))
      const scans = Promise.all([collect(s.scan('r', { batchSize: 7 })), s.count('r')])
      const added = await Promise.all(batches.map((batch) => s.putMany('r', batch)))
      await scans
      const unique = new Set(batches.flat().map((r) => r.id))
      expect(added.reduce((a, b) => a + b, 0)).toBe(unique.size)
      expect(await s.count('r')).toBe(unique.size)
      expect((await s.loadAll('r')).map((r) => r.id).sort()).toEqual([...unique].sort())
    }))

    it('fails every call after close with reason closed', async () => {
      const s = await (await setup()).open()
      await s.close()
      await s.close()
      await expectStoreError(s.putMany('r', [record('a', 1)]), 'closed')
      await expectStoreError(s.has('r', 'a'), 'closed')
      await expectStoreError(s.get('r', 'a'), 'closed')
      await expectStoreError(s.loadAll('r'), 'closed')
      await expectStoreError(collect(s.scan('r')), 'closed')
      await expectStoreError(s.count('r'), 'closed')
      await expectStoreError(s.getMeta('r', 'k'), 'closed')
      await expectStoreError(s.setMeta('r', 'k', 'v'), 'closed')
      await expectStoreError(s.deleteMeta('r', 'k'), 'closed')
      await expectStoreError(s.rooms(), 'closed')
    })

    if (options.persistent) it('keeps records, order and metadata across close and reopen', async () => {
      const subject = await setup()
      const rs = Array.from({ length: 500 }, (_, i) => record(`p${i}`, (i * 37) % 101, { bytes: new Uint8Array([i % 256, 1, 2]) }))
      const first = await subject.open()
      await first.putMany('r', rs)
      await first.setMeta('r', 'genesis', 'p0')
      await first.setMeta('r', 'key', new Uint8Array([1, 2, 3]))
      await first.close()
      const second = await subject.open()
      try {
        expect(await second.loadAll('r')).toEqual(sorted(rs))
        expect(await second.getMeta('r', 'genesis')).toBe('p0')
        expect(await second.getMeta('r', 'key')).toEqual(new Uint8Array([1, 2, 3]))
        expect(await second.rooms()).toEqual(['r'])
        expect(await second.putMany('r', rs.slice(0, 10))).toBe(0)
      } finally {
        await second.close()
      }
    })
  })
}
