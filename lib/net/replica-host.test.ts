import { describe, expect, it } from 'vitest'
import { signEvent } from '../core/events/codec'
import { createGenesis, nextEnvelope } from '../core/log/author'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import { createMemoryStore } from '../storage/memory-store'
import { ReplicaHost } from './replica-host'

async function setup() {
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'r', open: true, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
  const store = createMemoryStore()
  const host = new ReplicaHost({ room: genesis.id, store, verifier: testVerifier })
  await host.ingest([genesis.bytes])
  const alice = testSigner('alice')
  await host.author(alice, 'member.joined', { displayName: 'alice', kind: 'human', capabilities: [] })
  return { host, store, alice, room: genesis.id }
}

/** A memory store whose next `putMany` fails once `failNext()` is called, as a full disk would. */
function flakyStore() {
  const store = createMemoryStore()
  let fail = false
  const flaky = { ...store, putMany: async (...args: Parameters<typeof store.putMany>) => {
    if (fail) {
      fail = false
      throw new Error('disk full')
    }
    return store.putMany(...args)
  } }
  return { store, flaky, failNext: () => void (fail = true) }
}

/** Spins for `ms`: a synchronous stretch of work, like a verify on a slow machine. */
const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spin
  }
}

/** A room's first events, and `n` joins written elsewhere, independent of each other (each saw only the room so far). */
async function independentJoins(n: number) {
  const { host: origin, room } = await setup()
  const base = origin.replica.log.all().map((e) => e.bytes)
  const joins = []
  for (let i = 0; i < n; i++) {
    const source = new ReplicaHost({ room, store: createMemoryStore(), verifier: testVerifier })
    await source.ingest(base)
    joins.push(await source.author(testSigner(`joiner-${i}`), 'member.joined', { displayName: `j${i}`, kind: 'human', capabilities: [] }))
  }
  return { room, events: { base, joins } }
}

/** A room's first events, then `n` events of one author (its join and renames, a chain), and a lone join by another. */
async function oneAuthorsBurst(n: number) {
  const { host: origin, room } = await setup()
  const base = origin.replica.log.all().map((e) => e.bytes)
  const flooder = testSigner('flooder')
  const burst = [await origin.author(flooder, 'member.joined', { displayName: 'f', kind: 'agent', capabilities: [] })]
  for (let i = 1; i < n; i++) burst.push(await origin.author(flooder, 'member.renamed', { displayName: `f${i}` }))
  const other = new ReplicaHost({ room, store: createMemoryStore(), verifier: testVerifier })
  await other.ingest(base)
  const lone = await other.author(testSigner('honest'), 'member.joined', { displayName: 'h', kind: 'agent', capabilities: [] })
  return { room, base, burst, lone }
}

describe('ReplicaHost', () => {
  it('resolves ingest and author only once the store holds the events', async () => {
    const { host, store, room } = await setup()
    expect(await store.count(room)).toBe(2)
    expect(host.replica.log.size).toBe(2)
  })

  it('replays the store into a fresh replica before anything else', async () => {
    const { store, room } = await setup()
    const again = new ReplicaHost({ room, store, verifier: testVerifier })
    expect(await again.load()).toBe(2)
    expect(again.replica.state.members.size).toBe(2)
    // Replayed events are not written again.
    expect(again.storedCount).toBe(0)
  })

  it('holds an event stamped a little in the future and admits it when due; drops one stamped far ahead', async () => {
    const { host, alice } = await setup()
    // A far stamp is dropped, not held (it is checked first: alice is still a member then).
    const far = await signEvent({ ...nextEnvelope(host.replica.log, alice, 'member.left', {}, Date.now()), time: Date.now() + 3_600_000 }, alice)
    await host.ingest([far.bytes])
    expect(host.heldCount).toBe(0)
    expect(host.droppedFuture).toBe(1)

    const soon = await signEvent({ ...nextEnvelope(host.replica.log, alice, 'member.left', {}, Date.now()), time: Date.now() + 1600 }, alice)
    const r = await host.ingest([soon.bytes])
    expect(r[0]).toMatchObject({ status: 'rejected', reason: 'clock_ahead' })
    expect(host.heldCount).toBe(1)
    expect(host.replica.log.has(soon.id)).toBe(false)
    await new Promise((res) => setTimeout(res, 2200))
    expect(host.replica.log.has(soon.id)).toBe(true)
    expect(host.heldCount).toBe(0)
    host.close()
  })

  it('holds nothing for keys that have not joined: future-stamped events are checked as members first', async () => {
    const { host } = await setup()
    for (let i = 0; i < 20; i++) {
      const stranger = testSigner(`stranger-${i}`)
      const e = await signEvent({ ...nextEnvelope(host.replica.log, stranger, 'member.left', {}, Date.now()), seq: 2, prev: host.replica.log.room, time: Date.now() + 60_000 }, stranger)
      const [r] = await host.ingest([e.bytes])
      expect(r.status === 'rejected' || r.status === 'pending').toBe(true)
      expect(r).not.toMatchObject({ reason: 'clock_ahead' })
    }
    expect(host.heldCount).toBe(0)
    host.close()
  })

  it('an authored event whose write fails exists nowhere: the author is told, no peer is served it, a retry takes the same seq', async () => {
    const { store: base, room } = await setup()
    const { store, flaky, failNext } = flakyStore()
    const host = new ReplicaHost({ room, store: flaky, verifier: testVerifier })
    for await (const batch of base.scan(room)) await host.ingest(batch.map((r) => r.bytes))
    const before = host.replica.summary()
    let notified = 0
    host.subscribe(() => notified++)
    failNext()
    const bob = testSigner('bob')
    await expect(host.author(bob, 'member.joined', { displayName: 'bob', kind: 'human', capabilities: [] })).rejects.toThrow('disk full')
    expect(host.replica.log.size).toBe(2)
    expect(host.replica.state.members.has(bob.peerId as never)).toBe(false)
    expect(host.replica.missingFrom(before)).toEqual([])
    expect(notified).toBe(0)
    // The store is writable again: bob's retry is stored as his first event, and the failed one never is.
    const again = await host.author(bob, 'member.joined', { displayName: 'bob', kind: 'human', capabilities: [] })
    expect(again.event.seq).toBe(1)
    expect(again.event.prev ?? null).toBeNull()
    await host.author(testSigner('carol'), 'member.joined', { displayName: 'carol', kind: 'human', capabilities: [] })
    expect(await store.count(room)).toBe(4)
    expect(host.storedCount).toBe(4)
    expect(notified).toBe(2)
  })

  it('events from the network whose write fails fail that ingest only; a retry stores them by itself', async () => {
    const { store: base, room } = await setup()
    const { store, flaky, failNext } = flakyStore()
    const host = new ReplicaHost({ room, store: flaky, verifier: testVerifier })
    const records = []
    for await (const batch of base.scan(room)) records.push(...batch)
    failNext()
    await expect(host.ingest(records.map((r) => r.bytes))).rejects.toThrow('disk full')
    // Peers hold these events too: they stay in the replica, and a retry writes them with nothing else arriving.
    expect(await store.count(room)).toBe(0)
    const deadline = Date.now() + 5000
    while ((await store.count(room)) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(await store.count(room)).toBe(2)
    host.close()
  })

  it('events arriving together share one store write, and each ingest resolves only once its event is stored', async () => {
    const { room, events } = await independentJoins(20)
    // Verification that completes asynchronously, as WebCrypto's does in a tab.
    const store = createMemoryStore()
    const verifier = { verify: async (...args: Parameters<typeof testVerifier.verify>) => (await new Promise((r) => setImmediate(r)), testVerifier.verify(...args)) }
    // One slice holds them all (the lane yields only for a long backlog; see the next test).
    const host = new ReplicaHost({ room, store, verifier, sliceMs: 10_000 })
    await host.ingest(events.base)
    const writes = host.writes
    // As gossip does: one ingest per message, all in flight at once.
    const stored = await Promise.all(events.joins.map(async (e) => {
      await host.ingest([e.bytes])
      return (await store.get(room, e.id)) != null
    }))
    expect(stored.every(Boolean)).toBe(true)
    expect(host.writes - writes).toBe(1)
  })

  it("an event's write does not wait for the adds queued behind it: it goes out when the lane's slice ends", async () => {
    const { room, base, burst } = await oneAuthorsBurst(12)
    // 3 ms of verify per event against 1 ms slices: the lane yields after every add.
    const verify: typeof testVerifier.verify = (p, b, s) => (busy(3), testVerifier.verify(p, b, s))
    const host = new ReplicaHost({ room, store: createMemoryStore(), verifier: { verify }, sliceMs: 1 })
    await host.ingest(base)
    const before = host.replica.log.size
    const [first, ...backlog] = burst
    // The first event, then one author's backlog queued right behind it in the same turn.
    const firstDone = host.ingest([first.bytes]).then(() => host.replica.log.size - before)
    const rest = Promise.all(backlog.map((e) => host.ingest([e.bytes])))
    const addedWhenFirstResolved = await firstDone
    await rest
    expect(host.replica.log.size - before).toBe(12)
    // Resolved after its own slice's write, not after all 11 adds behind it.
    expect(addedWhenFirstResolved).toBeLessThanOrEqual(3)
  })

  it('a batch of events (a sync round) still gives the event loop a turn each time a slice is spent', async () => {
    const { room, base, burst } = await oneAuthorsBurst(12)
    // 3 ms of verify per event against 1 ms slices: a turn between every two adds.
    const verify: typeof testVerifier.verify = (p, b, s) => (busy(3), testVerifier.verify(p, b, s))
    const host = new ReplicaHost({ room, store: createMemoryStore(), verifier: { verify }, sliceMs: 1 })
    await host.ingest(base)
    let turns = 0
    let counting = true
    const tick = () => {
      if (!counting) return
      turns++
      setImmediate(tick)
    }
    setImmediate(tick)
    const results = await host.ingest(burst.map((e) => e.bytes))
    counting = false
    expect(results.map((r) => r.status)).toEqual(burst.map(() => 'accepted'))
    // Not one 36 ms task: other work ran between the adds.
    expect(turns).toBeGreaterThanOrEqual(8)
  })

  it("another author's lone event goes past one author's backlog in the lane, and the backlog keeps its order", async () => {
    const { room, base, burst, lone } = await oneAuthorsBurst(12)
    const verify: typeof testVerifier.verify = (p, b, s) => (busy(3), testVerifier.verify(p, b, s))
    const host = new ReplicaHost({ room, store: createMemoryStore(), verifier: { verify }, sliceMs: 1 })
    await host.ingest(base)
    const before = host.replica.log.size
    const backlog = Promise.all(burst.map((e) => host.ingest([e.bytes])))
    const loneDone = host.ingest([lone.bytes]).then(() => host.replica.log.size - before)
    const addedWhenLoneResolved = await loneDone
    const results = await backlog
    // Every link of the chain was accepted, so none arrived before the one it follows.
    expect(results.every(([r]) => r.status === 'accepted')).toBe(true)
    expect(host.replica.log.size - before).toBe(13)
    // Itself and at most a slice or two of the backlog, not the 12 queued ahead of it.
    expect(addedWhenLoneResolved).toBeLessThanOrEqual(4)
  })

  it('replays a big store in many short tasks, not one long one', async () => {
    const { host, store, room } = await setup()
    for (let i = 0; i < 70; i++) await host.author(testSigner(`member-${i}`), 'member.joined', { displayName: `m${i}`, kind: 'human', capabilities: [] })
    const again = new ReplicaHost({ room, store, verifier: testVerifier })
    const order: string[] = []
    setImmediate(() => order.push('another task'))
    order.push(`loaded ${await again.load()}`)
    expect(order).toEqual(['another task', 'loaded 72'])
  })

  it('knows how far behind the room it is: the age of what it stored lately, until as long again has passed', async () => {
    const owner = testSigner('owner')
    let now = Date.now()
    const genesis = await createGenesis(owner, { name: 'r', open: true, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
    const host = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier, now: () => now })
    await host.ingest([genesis.bytes])
    const source = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
    await source.ingest([genesis.bytes])
    const old = await signEvent({ ...nextEnvelope(source.replica.log, testSigner('alice'), 'member.joined', { displayName: 'a', kind: 'human', capabilities: [] }, now - 30_000) }, testSigner('alice'))
    const lagBefore = host.lagMs
    await host.ingest([old.bytes])
    expect(host.lagMs).toBeGreaterThan(lagBefore + 25_000)
    // Storing nothing for seconds does not make it look caught up.
    now += 5000
    expect(host.lagMs).toBeGreaterThan(25_000)
    // Nor does its own fresh event.
    await host.author(testSigner('alice'), 'member.left', {})
    expect(host.lagMs).toBeGreaterThan(25_000)
    now += 30_000
    expect(host.lagMs).toBeLessThan(10)
  })
})

