import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../log/stored'
import { history, ordered, richHistory } from '../testing/fold-histories'
import { Fold } from './fold'
import { foldOrder } from './order'

describe('Fold checkpoints dense at the tail, thinned with age', () => {
  it('a late event d events before the tail replays about d + d / spread events, not back to a checkpoint spaced for the room', async () => {
    const { room } = await history(300)
    const sorted = [...room.replica.log.all()].sort(foldOrder)
    const n = sorted.length
    for (const d of [1, 3, 8, 20, 40]) {
      const at = n - 1 - d
      const fold = new Fold(room.replica.log.room, {}, room.replica.authority)
      for (const e of sorted) if (e !== sorted[at]) fold.insert(e)
      const before = fold.replayedCount
      fold.insert(sorted[at])
      const replayed = fold.replayedCount - before
      // The defaults: a checkpoint every 16 events at the tail, spans thinned to half their distance from it.
      expect(replayed, `late by ${d} of ${n}`).toBeLessThanOrEqual(d + 1 + Math.max(16, Math.ceil((d + 1) / 2)))
      expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
    }
  })

  it('keeps few checkpoints however long the room (they grow with its logarithm)', async () => {
    const { room, sorted } = await richHistory()
    const fold = new Fold(room.replica.log.room, { every: 1, spread: 2, keep: 1e9 }, room.replica.authority)
    const counts: number[] = []
    for (const e of sorted) {
      fold.insert(e)
      counts.push(fold.checkpointCount)
    }
    // Logarithmic in the room with a checkpoint every event at the tail: far fewer than one per event.
    expect(Math.max(...counts)).toBeLessThanOrEqual(3 * Math.log2(sorted.length))
    expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
  })

  it('late events anywhere, read at any moment, fold to exactly the in-order state while checkpoints merge (fast-check)', async () => {
    const { room, sorted } = await richHistory()
    const reference = ordered(room.replica.state)
    const n = sorted.length
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.record({ every: fc.integer({ min: 1, max: 6 }), spread: fc.integer({ min: 1, max: 3 }), keep: fc.constantFrom(1e9, 4, 9) }),
        fc.integer({ min: 0, max: n }),
        async (late, reads, opts, readEvery) => {
          const fold = new Fold(room.replica.log.room, opts, room.replica.authority)
          const held = new Set(late)
          for (const [i, e] of sorted.entries()) {
            if (held.has(i)) continue
            fold.insert(e)
            // Reads between arrivals run the owed replays, so later merges thin checkpoints a replay re-made.
            if (readEvery > 0 && i % readEvery === 0) void fold.state
          }
          for (const [k, i] of late.entries()) {
            fold.insert(sorted[i])
            if (reads[k]) void fold.state
          }
          expect(ordered(fold.state)).toEqual(reference)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('Fold payloads of events folded by an owed replay', () => {
  it('reads each payload while the log still holds it decoded, not again when the replay runs', async () => {
    const { room, sorted } = await richHistory()
    const n = sorted.length
    let settled = false
    let readsAfter = 0
    // The log keeps a bulky kind's payload decoded only until every listener has seen the event;
    // a read after that decodes and parses it again.
    const watched = (e: StoredEvent): StoredEvent => {
      const event = { ...e.event }
      Object.defineProperty(event, 'payload', { enumerable: true, get: () => ((readsAfter += settled ? 1 : 0), e.event.payload) })
      return { id: e.id, bytes: e.bytes, roleAfter: e.roleAfter, event } as StoredEvent
    }
    const at = n - 12
    const held = new Set([at, n - 3, n - 2, n - 1])
    const fold = new Fold(room.replica.log.room, { every: 4, spread: 2 }, room.replica.authority)
    for (const [i, e] of sorted.entries()) if (!held.has(i)) fold.insert(watched(e))
    void fold.state
    // The late event owes a replay; the tail events after it wait for the same replay.
    for (const i of [at, n - 3, n - 2, n - 1]) {
      settled = false
      fold.insert(watched(sorted[i]))
      settled = true
    }
    expect(fold.replayOwed).toBe(true)
    expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
    expect(readsAfter).toBe(0)
  })
})
