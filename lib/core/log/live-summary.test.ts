/**
 * The summary a replica keeps up to date per stored event must equal the one computed from
 * scratch at every read, whatever the order events arrive in: searched over random delivery
 * orders, duplicates and partitions of a room with a dozen authors, two equivocators and a
 * fork that moves to a lower seq (its quarantine changes without a new author).
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EncodedEvent } from '../events/envelope'
import type { Signer } from '../events/signer'
import { Replica } from '../state/replica'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { join, makeRoom, type TestRoom } from '../testing/room'
import { CHORUS_TASKS } from '../testing/tasks'
import { authorEvent } from './author'
import { MerkleTree, merkleRoot } from './merkle'
import { summarize } from './summary'
import { rng } from '../testing/rng'

const RUNS = Number(process.env.CHORUS_PROPERTY_RUNS ?? 30)

interface Pool {
  room: TestRoom
  events: EncodedEvent[]
}

/** A dozen members, claims in rounds, two equivocators, one of them forking again lower down. */
async function buildPool(): Promise<Pool> {
  const room = await makeRoom()
  const agents: Signer[] = Array.from({ length: 12 }, (_, i) => testSigner(`live-summary-${i}`))
  for (const a of agents) await join(room, a, 'agent')
  for (let round = 0; round < 4; round++) {
    for (const [i, a] of agents.entries()) {
      room.clock.advance(1000)
      if ((i + round) % 3 !== 0) await authorEvent(room.log, a, 'task.claimed', CHORUS_TASKS[(i + round) % CHORUS_TASKS.length], room.clock.now())
    }
  }
  const [x, y] = [agents[4], agents[9]]
  for (const who of [x, y]) {
    const one = await forge(room.log, who, 'task.claimed', CHORUS_TASKS[1], room.clock.now())
    const two = await forge(room.log, who, 'task.claimed', CHORUS_TASKS[2], room.clock.now())
    await room.log.add(one)
    await room.log.add(two)
  }
  // x again at seq 2, citing its join: the quarantine moves down to 2.
  const joinOfX = room.log.idsAt(x.peerId, 1)[0]
  const low = await forge(room.log, x, 'task.claimed', CHORUS_TASKS[3], room.clock.now(), { seq: 2, prev: joinOfX })
  expect((await room.log.add(low)).status).toBe('rejected')
  for (const a of agents.slice(0, 6)) {
    room.clock.advance(1000)
    await authorEvent(room.log, a, 'task.claimed', CHORUS_TASKS[5], room.clock.now())
  }
  expect(room.log.quarantined().get(x.peerId)).toBe(2)
  expect(room.log.quarantined().get(y.peerId)).toBeGreaterThan(2)
  return { room, events: room.log.all() }
}

describe('LiveSummary', () => {
  let pool: Pool
  beforeAll(async () => {
    pool = await buildPool()
  })

  it('equals the summary from scratch after every add, in any order, across partitions and their sync', async () => {
    let reads = 0
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.double({ min: 0.25, max: 1, noNaN: true }), async (seed, readShare) => {
        const rand = rng(seed)
        const deliveries = [...pool.events, ...pool.events.filter(() => rand() < 0.2)]
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1))
          ;[deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]]
        }
        const replicas: Replica[] = []
        const checkNow = (r: Replica) => {
          reads++
          expect(r.summary()).toEqual(summarize(r.log))
        }
        for (let k = 0; k < 2; k++) {
          // Some reads happen inside the store callback, between an event's store and its quarantine.
          const r: Replica = new Replica({ room: pool.room.genesis.id, verifier: testVerifier, now: pool.room.clock.now, onStored: () => rand() < readShare && checkNow(r) })
          await r.add(pool.room.genesis)
          replicas.push(r)
        }
        for (const e of deliveries) {
          const r = replicas[rand() < 0.5 ? 0 : 1]
          await r.add(e.bytes)
          if (rand() < readShare) checkNow(r)
        }
        for (const r of replicas) checkNow(r)
        const [a, b] = replicas
        for (let round = 0; round < 3 && a.summary().root !== b.summary().root; round++) {
          const toB = a.missingFrom(b.summary())
          const toA = b.missingFrom(a.summary())
          for (const e of toB) await b.add(e.bytes)
          for (const e of toA) await a.add(e.bytes)
          for (const r of replicas) checkNow(r)
        }
        expect(a.summary().root).toBe(b.summary().root)
        expect(a.log.size).toBe(pool.events.length)
      }),
      { numRuns: RUNS },
    )
    expect(reads).toBeGreaterThan(RUNS * 10)
  }, 120_000)

  it('hands out a summary that later changes leave as it was', async () => {
    const r = new Replica({ room: pool.room.genesis.id, verifier: testVerifier, now: pool.room.clock.now })
    const half = pool.events.slice(0, pool.events.length / 2)
    for (const e of half) await r.add(e.bytes)
    const before = r.summary()
    const copy = structuredClone(before)
    expect(r.summary()).toBe(before)
    for (const e of pool.events) await r.add(e.bytes)
    expect(r.summary()).not.toEqual(before)
    expect(before).toEqual(copy)
  })
})

describe('MerkleTree', () => {
  const leaf = fc.uint8Array({ maxLength: 12 })
  const op = fc.oneof(
    fc.record({ t: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), leaf }),
    fc.record({ t: fc.constant('set' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), leaf }),
    fc.record({ t: fc.constant('root' as const) }),
  )

  it('has the root of merkleRoot over its leaves after any inserts and changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const tree = new MerkleTree()
        const leaves: Uint8Array[] = []
        for (const o of ops) {
          if (o.t === 'root') {
            expect(tree.root()).toBe(merkleRoot(leaves))
          } else if (o.t === 'insert') {
            const i = Math.floor(o.at * (leaves.length + 1)) % (leaves.length + 1)
            leaves.splice(i, 0, o.leaf)
            tree.insert(i, o.leaf)
          } else if (leaves.length > 0) {
            const i = Math.floor(o.at * leaves.length) % leaves.length
            leaves[i] = o.leaf
            tree.set(i, o.leaf)
          }
        }
        expect(tree.root()).toBe(merkleRoot(leaves))
        expect(tree.size).toBe(leaves.length)
      }),
      { numRuns: 300 },
    )
  })
})
