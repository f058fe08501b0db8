/**
 * Pipelined group commit: a write goes to the store without waiting for the previous one's
 * answer, and still nobody is answered before every write that may hold their events has landed.
 */
import { describe, expect, it } from 'vitest'
import { createGenesis } from '../core/log/author'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import type { PutOptions, StoredRecord } from '../storage/event-store'
import { createMemoryStore } from '../storage/memory-store'
import { until } from '../node/testing/until'
import { ReplicaHost } from './replica-host'

/** A memory store whose every write waits until the test lands or fails it, one by one. */
function heldStore() {
  const store = createMemoryStore()
  const calls: Array<{ ids: string[]; durability: PutOptions['durability']; land: () => void; fail: () => void }> = []
  const held = {
    ...store,
    putMany: (room: string, records: readonly StoredRecord[], options?: PutOptions) =>
      new Promise<number>((resolve, reject) => {
        calls.push({
          ids: records.map((r) => r.id),
          durability: options?.durability,
          land: () => void store.putMany(room, records, options).then(resolve, reject),
          fail: () => reject(new Error('disk full')),
        })
      }),
  }
  return { store, held, calls }
}

/** Spins for `ms`: a synchronous stretch of work, like a verify on a slow machine. */
const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spin
  }
}

/** A room and `n` joins authored elsewhere, independent of each other. */
async function joins(n: number) {
  const genesis = await createGenesis(testSigner('owner'), { name: 'r', open: true, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
  const out = []
  for (let i = 0; i < n; i++) {
    const source = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
    await source.ingest([genesis.bytes])
    out.push(await source.author(testSigner(`joiner-${i}`), 'member.joined', { displayName: `j${i}`, kind: 'human', capabilities: [] }))
  }
  return { genesis, joins: out }
}

/**
 * A host on a held store with the genesis written, and two ingests in flight: `one` (a lone event)
 * and `many` (six events, the first queued ahead of `one`'s). 3 ms of verify per event against
 * 8 ms slices: the first write takes its batch when the lane's slice ends after `one`'s add, so it
 * holds the first of `many`'s events too, and `many`'s own write holds the rest.
 */
async function twoWrites() {
  const { genesis, joins: events } = await joins(7)
  const { store, held, calls } = heldStore()
  const verify: typeof testVerifier.verify = (p, b, s) => (busy(3), testVerifier.verify(p, b, s))
  const host = new ReplicaHost({ room: genesis.id, store: held, verifier: { verify }, sliceMs: 8 })
  const started = host.ingest([genesis.bytes])
  await until('the genesis write', () => calls.length === 1, 10_000)
  calls[0].land()
  await started
  const [lone, ...rest] = events
  const state = { one: 'waiting', many: 'waiting' }
  const many = host.ingest(rest.map((e) => e.bytes)).then(() => void (state.many = 'resolved'), () => void (state.many = 'failed'))
  const one = host.ingest([lone.bytes]).then(() => void (state.one = 'resolved'), () => void (state.one = 'failed'))
  return { store, host, calls, state, one, many, room: genesis.id, ids: { lone: lone.id as string, rest: rest.map((e) => e.id as string) } }
}

describe('ReplicaHost: pipelined writes', () => {
  it("a write goes to the store while the previous one is still out, and a caller is answered only once every write holding its events has landed", async () => {
    const { store, host, calls, state, one, many, room, ids } = await twoWrites()
    await until('the first write', () => calls.length === 2, 10_000)
    // Not waiting for the first write's answer: the second is asked for while the first is out.
    await until('the second write, asked for while the first is out', () => calls.length === 3, 10_000)
    const [first, second] = [calls[1], calls[2]]
    expect(first.ids).toContain(ids.lone)
    expect(first.ids).toContain(ids.rest[0])
    expect(second.ids.every((id) => ids.rest.includes(id))).toBe(true)
    expect(new Set([...first.ids, ...second.ids]).size).toBe(7)
    // `many`'s own write lands first; its first event is still only in the first write.
    second.land()
    await until('the second write stored', async () => (await store.count(room)) === 1 + second.ids.length, 10_000)
    await new Promise((r) => setImmediate(r))
    expect(state).toEqual({ one: 'waiting', many: 'waiting' })
    first.land()
    await Promise.all([one, many])
    expect(state).toEqual({ one: 'resolved', many: 'resolved' })
    expect(await store.count(room)).toBe(8)
    expect(host.writes).toBe(3)
  })

  it('when an earlier write fails, every caller whose events it may hold fails, and a retry writes them', async () => {
    const { store, calls, state, one, many, room } = await twoWrites()
    await until('the second write, asked for while the first is out', () => calls.length === 3, 10_000)
    calls[2].land()
    calls[1].fail()
    await Promise.all([one, many])
    // Neither is acknowledged: both had events in the failed write.
    expect(state).toEqual({ one: 'failed', many: 'failed' })
    // The retry (no new event arrives to ask for it) writes the failed write's events.
    await until('the retry', () => calls.length === 4, 10_000)
    expect(calls[3].ids.sort()).toEqual(calls[1].ids.sort())
    calls[3].land()
    await until('every event stored', async () => (await store.count(room)) === 8, 10_000)
  })

  it("an authored event is written at once, while a received write is still out", async () => {
    const { genesis, joins: events } = await joins(2)
    const { store, held, calls } = heldStore()
    const host = new ReplicaHost({ room: genesis.id, store: held, verifier: testVerifier })
    const received = host.ingest([genesis.bytes, events[0].bytes])
    await until('the received write', () => calls.length === 1, 10_000)
    const own = host.author(testSigner('dave'), 'member.joined', { displayName: 'dave', kind: 'human', capabilities: [] })
    await until("the authored event's write, while the received one is out", () => calls.length === 2, 10_000)
    expect(calls[1].durability).toBeUndefined()
    calls[1].land()
    const enc = await own
    expect(calls[1].ids).toEqual([enc.id])
    calls[0].land()
    await received
    expect(await store.count(genesis.id)).toBe(3)
  })
})
