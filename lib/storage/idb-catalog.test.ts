import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RoomCatalog } from './idb-catalog'
import { ReceivedWaits } from './idb-waits'
import { record } from './event-store.contract'

/** Slabs 1…count, slab n holding ids `n.0`, `n.1`… (`sizes[n - 1]` of them). */
const slabsOf = (sizes: number[]) => sizes.map((size, i) => ({ n: i + 1, ids: Array.from({ length: size }, (_, k) => `${i + 1}.${k}`) }))

describe('RoomCatalog', () => {
  it('knows every id it heard of at once, and moves through only over slabs with none missing before them (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 12 }),
        fc.infiniteStream(fc.boolean()),
        fc.nat(),
        fc.integer({ min: 0, max: 12 }),
        (sizes, heardAt, seed, readThrough) => {
          const slabs = slabsOf(sizes)
          const catalog = new RoomCatalog()
          // Some slabs read in order from the start, the others heard of in a shuffled order, some never.
          const read = slabs.slice(0, Math.min(readThrough, slabs.length))
          const rest = slabs.slice(read.length).filter(() => heardAt.next().value as boolean)
          const shuffled = rest.map((s, i) => ({ s, k: (i * 7919 + seed) % 101 })).sort((a, b) => a.k - b.k).map((x) => x.s)
          const known = new Set<number>(read.map((s) => s.n))
          catalog.learn(read)
          for (const s of shuffled) {
            catalog.heard(s.n, s.ids)
            known.add(s.n)
            let through = 0
            while (known.has(through + 1)) through++
            expect(catalog.through).toBe(through)
          }
          for (const s of slabs) for (const id of s.ids) expect(catalog.ids.get(id)).toBe(known.has(s.n) ? s.n : undefined)
          // A read of the slabs after `through` fills every gap.
          catalog.learn(slabs.slice(catalog.through))
          expect(catalog.through).toBe(slabs.length)
          expect(catalog.ahead).toBe(0)
          expect(catalog.ids.size).toBe(sizes.reduce((a, b) => a + b, 0))
        },
      ),
    )
  })
})

describe('ReceivedWaits', () => {
  it('finishes a wait once all its records are stored, hands the rest over once, and drops nothing (property)', async () => {
    const arbOp = fc.oneof(
      fc.record({ op: fc.constant('add' as const), room: fc.constantFrom('a', 'b'), ids: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }) }),
      fc.record({ op: fc.constant('store' as const), room: fc.constantFrom('a', 'b'), ids: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }) }),
      fc.record({ op: fc.constant('take' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('takeRoom' as const), room: fc.constantFrom('a', 'b') }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { maxLength: 30 }), async (ops) => {
        const waits = new ReceivedWaits()
        const stored = { a: new Set<string>(), b: new Set<string>() }
        const open: { wait: ReturnType<ReceivedWaits['add']>['wait']; ids: string[]; room: 'a' | 'b'; done?: number | 'taken' }[] = []
        for (const o of ops) {
          if (o.op === 'add') {
            const ids = o.ids.map(String).filter((id) => !stored[o.room].has(id))
            if (ids.length === 0) continue
            const { wait, promise } = waits.add(o.room, ids.map((id) => record(id, 1)))
            const entry: (typeof open)[number] = { wait, ids, room: o.room }
            promise.then((n) => (entry.done = n))
            open.push(entry)
          } else if (o.op === 'store') {
            for (const id of o.ids) stored[o.room].add(String(id))
            waits.settle(o.room, (id) => stored[o.room].has(id))
          } else if (o.op === 'take') {
            const e = open[o.pick % Math.max(1, open.length)]
            if (e === undefined) continue
            const taken = waits.take(e.wait)
            expect(taken).toBe(e.done === undefined)
            if (taken) {
              // What it hands over is exactly what is not stored yet.
              expect(e.wait.records.map((r) => r.id)).toEqual(e.ids.filter((id) => !stored[e.room].has(id)))
              e.done = 'taken'
            }
          } else {
            for (const w of waits.takeRoom(o.room)) {
              const e = open.find((x) => x.wait === w)!
              expect(e.done).toBeUndefined()
              expect(w.room).toBe(o.room)
              e.done = 'taken'
            }
          }
          // A resolved wait's then-callback runs in the next microtasks.
          for (let k = 0; k < 3; k++) await Promise.resolve()
          for (const e of open) {
            const allStored = e.ids.every((id) => stored[e.room].has(id))
            // Finished by the others' writes exactly when all its records are stored (unless handed over first).
            if (e.done !== 'taken') expect(e.done === 0).toBe(allStored)
          }
        }
        expect(waits.size).toBe(open.filter((e) => e.done === undefined).length)
      }),
    )
  })
})
