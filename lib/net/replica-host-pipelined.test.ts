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
 * A host on a held store with the genesis written, and two gossiped events of different authors
 * in flight: the first's write is asked for and held, then the second arrives.
 */
async function twoWrites() {
  const { genesis, joins: events } = await joins(2)
  const { store, held, calls } = heldStore()
  const host = new ReplicaHost({ room: genesis.id, store: held, verifier: testVerifier })
  const started = host.ingest([genesis.bytes])
  await until('the genesis write', () => calls.length === 1, 10_000)
  calls[0].land()
  await started
  const state = { one: 'waiting', two: 'waiting' }
  const one = host.ingest([events[0].bytes]).then(() => void (state.one = 'resolved'), () => void (state.one = 'failed'))
  await until('the first write', () => calls.length === 2, 10_000)
  const two = host.ingest([events[1].bytes]).then(() => void (state.two = 'resolved'), () => void (state.two = 'failed'))
  return { store, host, calls, state, one, two, room: genesis.id, ids: events.map((e) => e.id as string) }
}

describe('ReplicaHost: pipelined writes', () => {
  it("a write goes to the store while the previous one is still out, and its caller is answered once every write out before it has landed", async () => {
    const { store, host, calls, state, one, two, room, ids } = await twoWrites()
    // Not waiting for the first write's answer: the second is asked for while the first is out.
    await until('the second write, asked for while the first is out', () => calls.length === 3, 10_000)
    expect(calls[1].ids).toEqual([ids[0]])
    expect(calls[2].ids).toEqual([ids[1]])
    // The second lands first; its caller still waits for the first, which was out when its batch
    // was taken (a caller's events may be in an earlier write: see replica-host.ts flush).
    calls[2].land()
    await until('the second write stored', async () => (await store.count(room)) === 2, 10_000)
    await new Promise((r) => setImmediate(r))
    expect(state).toEqual({ one: 'waiting', two: 'waiting' })
    calls[1].land()
    await Promise.all([one, two])
    expect(state).toEqual({ one: 'resolved', two: 'resolved' })
    expect(await store.count(room)).toBe(3)
    expect(host.writes).toBe(3)
  })

  it('when an earlier write fails, the callers of the writes asked for while it was out fail too, and a retry writes its events', async () => {
    const { store, calls, state, one, two, room, ids } = await twoWrites()
    await until('the second write, asked for while the first is out', () => calls.length === 3, 10_000)
    calls[2].land()
    calls[1].fail()
    await Promise.all([one, two])
    expect(state).toEqual({ one: 'failed', two: 'failed' })
    // The retry (no new event arrives to ask for it) writes the failed write's event.
    await until('the retry', () => calls.length === 4, 10_000)
    expect(calls[3].ids).toEqual([ids[0]])
    calls[3].land()
    await until('every event stored', async () => (await store.count(room)) === 3, 10_000)
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
    // The received events still out go with it: that write may yet fail.
    expect(calls[1].ids).toEqual([genesis.id, events[0].id, enc.id])
    calls[0].land()
    await received
    expect(await store.count(genesis.id)).toBe(3)
  })

  it('the store never holds an authored event without the received events it was written after, even when their own write fails', async () => {
    const { genesis, joins: events } = await joins(1)
    const { store, held, calls } = heldStore()
    const host = new ReplicaHost({ room: genesis.id, store: held, verifier: testVerifier })
    const received = host.ingest([genesis.bytes, events[0].bytes]).then(() => 'resolved', () => 'failed')
    await until('the received write', () => calls.length === 1, 10_000)
    const own = host.author(testSigner('erin'), 'member.joined', { displayName: 'erin', kind: 'human', capabilities: [] })
    await until("the authored event's write", () => calls.length === 2, 10_000)
    calls[1].land()
    const enc = await own
    expect(enc.event.deps).toContain(events[0].id)
    calls[0].fail()
    expect(await received).toBe('failed')
    // Stopped here (a crash before any retry), the store holds what the authored event cites.
    const ids = (await store.loadAll(genesis.id)).map((r) => r.id)
    expect(ids.sort()).toEqual([genesis.id, events[0].id, enc.id].sort())
    host.close()
    // A restart on that store continues the author's chain instead of reusing its seq.
    const again = new ReplicaHost({ room: genesis.id, store, verifier: testVerifier })
    await again.load()
    expect(again.replica.log.has(enc.id)).toBe(true)
  })
})
