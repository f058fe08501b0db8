import { describe, expect, it } from 'vitest'
import { createGenesis } from '../core/log/author'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import type { PutOptions, StoredRecord } from '../storage/event-store'
import { createMemoryStore } from '../storage/memory-store'
import { ReplicaHost } from './replica-host'

/** A memory store whose writes wait until `release()` and that records each write's durability. */
function gatedStore() {
  const store = createMemoryStore()
  const writes: Array<{ ids: string[]; durability: PutOptions['durability'] }> = []
  let open: () => void = () => undefined
  let gate = Promise.resolve()
  const gated = {
    ...store,
    putMany: async (room: string, records: readonly StoredRecord[], options?: PutOptions) => {
      await gate
      writes.push({ ids: records.map((r) => r.id), durability: options?.durability })
      return store.putMany(room, records, options)
    },
  }
  return {
    store,
    gated,
    writes,
    hold: () => void (gate = new Promise<void>((r) => (open = r))),
    release: () => open(),
  }
}

async function room() {
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'r', open: true, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
  // Events authored elsewhere, to arrive here as a peer's would.
  const source = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
  await source.ingest([genesis.bytes])
  const joins = []
  for (const name of ['alice', 'bob', 'carol']) joins.push(await source.author(testSigner(name), 'member.joined', { displayName: name, kind: 'human', capabilities: [] }))
  return { genesis, joins }
}

describe('ReplicaHost: shown once folded, acknowledged once written (ADR 0067)', () => {
  it('a received event is shown before its write lands; ingest and the stored listeners wait for the write', async () => {
    const { genesis, joins } = await room()
    const { store, gated, hold, release } = gatedStore()
    const host = new ReplicaHost({ room: genesis.id, store: gated, verifier: testVerifier })
    await host.ingest([genesis.bytes])
    const shown: number[] = []
    const stored: number[] = []
    host.subscribeFolded(() => shown.push(host.replica.state.members.size))
    host.subscribe(() => stored.push(host.replica.state.members.size))
    hold()
    let resolved = false
    const ingest = host.ingest(joins.map((j) => j.bytes)).then(() => void (resolved = true))
    while (shown.length === 0) await new Promise((r) => setTimeout(r, 1))
    // The view has all three members; nothing is written, acknowledged or told to stored listeners.
    expect(shown).toEqual([4])
    expect(await store.count(genesis.id)).toBe(1)
    expect(resolved).toBe(false)
    expect(stored).toEqual([])
    release()
    await ingest
    expect(await store.count(genesis.id)).toBe(4)
    expect(stored).toEqual([4])
  })

  it('writes received events relaxed and authored ones strict, each authored one before anyone is told', async () => {
    const { genesis, joins } = await room()
    const { gated, writes } = gatedStore()
    const host = new ReplicaHost({ room: genesis.id, store: gated, verifier: testVerifier })
    await host.ingest([genesis.bytes, ...joins.map((j) => j.bytes)])
    const seen: Array<{ listener: string; writes: number }> = []
    host.subscribeFolded(() => seen.push({ listener: 'folded', writes: writes.length }))
    host.subscribe(() => seen.push({ listener: 'stored', writes: writes.length }))
    const own = await host.author(testSigner('dave'), 'member.joined', { displayName: 'dave', kind: 'human', capabilities: [] })
    expect(writes[0]).toEqual({ ids: [genesis.id, ...joins.map((j) => j.id)], durability: 'relaxed' })
    expect(writes[1]).toEqual({ ids: [own.id], durability: undefined })
    expect(seen).toEqual([{ listener: 'folded', writes: 2 }, { listener: 'stored', writes: 2 }])
  })

  it('a duplicate or refused event tells no listener', async () => {
    const { genesis, joins } = await room()
    const host = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
    await host.ingest([genesis.bytes, joins[0].bytes])
    let told = 0
    host.subscribeFolded(() => told++)
    await host.ingest([joins[0].bytes, new Uint8Array([1, 2, 3])])
    expect(told).toBe(0)
  })

  it('equivocation evidence is shown: the view learns that its author is quarantined', async () => {
    const { genesis, joins } = await room()
    const alice = testSigner('alice')
    const history = [genesis.bytes, ...joins.map((j) => j.bytes)]
    // Alice signs two different events at the same seq, each on a replica of its own.
    const forks = ['Alice', 'Alicia'].map(async (displayName) => {
      const fork = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
      await fork.ingest(history)
      return fork.author(alice, 'member.renamed', { displayName })
    })
    const [one, two] = await Promise.all(forks)
    const host = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
    await host.ingest([...history, one.bytes])
    const shown: boolean[] = []
    host.subscribeFolded(() => shown.push(host.replica.log.quarantined().has(alice.peerId as never)))
    const [r] = await host.ingest([two.bytes])
    expect(r).toMatchObject({ status: 'rejected', reason: 'equivocation' })
    expect(shown).toEqual([true])
  })
})
