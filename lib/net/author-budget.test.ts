/**
 * The per-author budget (ADR 0061) on both ingest paths, against a real ReplicaHost: the
 * gossip topic validator (installed on a stand-in for gossipsub's validator map) and the sync
 * batch gate.
 */
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { decodeEvent, encodeCanonical } from '../core/events/codec'
import type { EncodedEvent } from '../core/events/envelope'
import { createGenesis } from '../core/log/author'
import { signInvite } from '../core/events/verify'
import { inviteBody } from '../core/testing/room'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import { createMemoryStore } from '../storage/memory-store'
import { EventGossip } from './event-gossip'
import { AuthorBudget } from './rate-limit'
import { ReplicaHost } from './replica-host'
import { FRESH_MS, gateBatch } from './sync-gate'

const alice = testSigner('alice')
const bob = testSigner('bob')

/** A room where alice and bob have joined; `source` writes, `sink` receives. */
async function room() {
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'r', open: false, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
  const host = () => new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
  const source = host()
  const sink = host()
  await source.ingest([genesis.bytes])
  const joins: EncodedEvent[] = []
  for (const s of [alice, bob]) {
    const invite = await signInvite(inviteBody(genesis.id, owner, 'agent', { nonce: `n-${s.peerId}`, expires: Date.now() + 3600_000 }), owner)
    joins.push(await source.author(s, 'member.joined', { displayName: 'x', kind: 'agent', capabilities: [], invite }))
  }
  await sink.ingest([genesis.bytes, ...joins.map((j) => j.bytes)])
  // A second writer that has seen only the joins: its events reference nothing of `source`'s.
  const elsewhere = host()
  await elsewhere.ingest([genesis.bytes, ...joins.map((j) => j.bytes)])
  const write = async (s: typeof alice, n: number, on = source) => {
    const out: EncodedEvent[] = []
    for (let i = 0; i < n; i++) out.push(await on.author(s, 'task.claimed', { taskId: `${s.peerId.slice(-4)}-${source.replica.log.size}`, projectId: 'p', repository: 'r', title: 'Work', description: '' }))
    return out
  }
  return { source, sink, elsewhere, write }
}

function validatorOf(sink: ReplicaHost, authors: AuthorBudget) {
  const validators = new Map<string, (peer: { toString(): string }, msg: { data: Uint8Array }) => Promise<TopicValidatorResult>>()
  const node = { services: { pubsub: { topicValidators: validators, subscribe: () => undefined } } } as unknown as Libp2p<{ pubsub: GossipSub }>
  const gossip = new EventGossip(node, { room: sink.room, authors, ingest: async (bytes) => (await sink.ingest([bytes]))[0] })
  gossip.start()
  const validate = [...validators.values()][0]
  return { gossip, send: (from: string, e: { bytes: Uint8Array }) => validate({ toString: () => from }, { data: e.bytes }) }
}

/** A copy of `e` whose signature is corrupted (a different id each time). */
function forged(e: EncodedEvent, k: number): { bytes: Uint8Array } {
  const d = decodeEvent(e.bytes)
  if (!d.ok) throw new Error('fixture')
  const sig = d.value.event.sig.slice()
  sig[k % 64] ^= 1 + (k >> 6)
  return { bytes: encodeCanonical({ ...d.value.event, sig }) }
}

describe('per-author budget on gossip', () => {
  it('throttles a flooding author where it enters with Ignore, while other authors through the same peer pass', async () => {
    const { sink, elsewhere, write } = await room()
    const { gossip, send } = validatorOf(sink, new AuthorBudget({ perSec: 0.001, burst: 5 }))
    // bob's events must not reference alice's dropped ones (the sync gate's business, below).
    const honest = await write(bob, 3, elsewhere)
    const flood = await write(alice, 12)
    const verdicts = []
    for (const e of flood) verdicts.push(await send(alice.peerId, e))
    expect(verdicts.slice(0, 5)).toEqual(Array(5).fill(TopicValidatorResult.Accept))
    // Never Reject: the budget is ours, not a sign of an invalid event.
    expect(verdicts.slice(5).every((v) => v === TopicValidatorResult.Ignore)).toBe(true)
    expect(gossip.authorLimited).toBe(7)
    for (const e of honest) expect(await send(alice.peerId, e)).toBe(TopicValidatorResult.Accept)
  })

  it('holds for a backlog validated all at once (gossipsub does not wait for one validation before the next)', async () => {
    const { sink, write } = await room()
    const { gossip, send } = validatorOf(sink, new AuthorBudget({ perSec: 0.001, burst: 5 }))
    const flood = await write(alice, 20)
    const verdicts = await Promise.all(flood.map((e) => send(alice.peerId, e)))
    expect(verdicts.filter((v) => v === TopicValidatorResult.Reject)).toEqual([])
    expect(gossip.authorLimited).toBe(15)
    expect(sink.replica.log.size).toBeLessThanOrEqual(3 + 5)
  })

  it('forged events naming an honest author spend none of its budget', async () => {
    const { sink, write } = await room()
    const authors = new AuthorBudget({ perSec: 0.001, burst: 3 })
    const { send } = validatorOf(sink, authors)
    const real = await write(alice, 3)
    for (let k = 0; k < 30; k++) expect(await send('mallory', forged(real[0], k))).toBe(TopicValidatorResult.Reject)
    // Replays of her events already held spend nothing either.
    expect(await send('relay', real[0])).toBe(TopicValidatorResult.Accept)
    for (let k = 0; k < 10; k++) expect(await send('mallory', real[0])).toBe(TopicValidatorResult.Ignore)
    for (const e of real.slice(1)) expect(await send('relay', e)).toBe(TopicValidatorResult.Accept)
    expect(sink.replica.log.has(real[2].id)).toBe(true)
  })

  it('a peer forwarding an author gets one burst of slack over the author itself', async () => {
    const { sink, write } = await room()
    const { send } = validatorOf(sink, new AuthorBudget({ perSec: 0.001, burst: 4 }))
    const events = await write(alice, 10)
    const accepted = []
    for (const e of events) accepted.push((await send('relay', e)) === TopicValidatorResult.Accept)
    expect(accepted.filter(Boolean)).toHaveLength(8)
  })
})

describe('per-author budget on sync', () => {
  it('defers fresh events over budget to a later round, never history a new peer catches up on', async () => {
    const { sink, write } = await room()
    const budget = new AuthorBudget({ perSec: 0.001, burst: 3 })
    const events = (await write(alice, 10)).map((e) => e.bytes)
    const now = Date.now()
    // Catching up: stamped long ago, nothing spends the budget, everything is admitted.
    expect(gateBatch(events, 'relay', budget, sink.replica.log, now + 2 * FRESH_MS)).toMatchObject({ deferred: 0 })
    // Fresh from the author itself: the burst; forwarded: one burst more. The rest waits.
    const own = gateBatch(events, alice.peerId, budget, sink.replica.log, now)
    expect([own.admit.length, own.deferred]).toEqual([3, 7])
    expect(gateBatch(events, 'relay', budget, sink.replica.log, now).admit).toHaveLength(6)
    // Deferred, not lost: ingest what was admitted, charge it, and the next rounds (budget back) bring the rest.
    const r = await sink.ingest(own.admit)
    expect(r.every((x) => x.status === 'accepted')).toBe(true)
    budget.charge(alice.peerId, own.admit.length)
    expect(gateBatch(events.slice(3), alice.peerId, budget, sink.replica.log, now).deferred).toBe(7)
    const later = new AuthorBudget({ perSec: 0.001, burst: 100 })
    await sink.ingest(gateBatch(events.slice(3), alice.peerId, later, sink.replica.log, now).admit)
    expect(sink.replica.log.size).toBe(3 + 10)
  })

  it('lets a flooder’s event through when an honest event waits for it', async () => {
    const { source, sink, write } = await room()
    const budget = new AuthorBudget({ perSec: 0.001, burst: 2 })
    const flood = await write(alice, 6)
    const [honest] = await write(bob, 1)
    // bob's event references alice's latest head, which the budget would defer.
    expect(decodeEvent(honest.bytes).ok && honest.event.deps).toContain(flood[5].id)
    budget.charge(alice.peerId, 10)
    const g = gateBatch([...flood, honest].map((e) => e.bytes), alice.peerId, budget, sink.replica.log, Date.now())
    expect(g.deferred).toBe(0)
    expect(g.needed).toBe(6)
    await sink.ingest(g.admit)
    expect(sink.replica.log.has(honest.id)).toBe(true)
    // Without the honest event in sight the flood waits.
    const alone = gateBatch(flood.map((e) => e.bytes), alice.peerId, budget, new ReplicaHost({ room: source.room, store: createMemoryStore(), verifier: testVerifier }).replica.log, Date.now())
    expect(alone.deferred).toBe(6)
  })
})
