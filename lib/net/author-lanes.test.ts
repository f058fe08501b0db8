/**
 * Author lanes (author-lanes.ts): the replica host never holds more than a few events of one
 * (author, forwarder) at once, so another author's event is not queued behind a member's whole
 * backlog — in the gossip validator, against events signed by two real members.
 */
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EncodedEvent } from '../core/events/envelope'
import { signInvite } from '../core/events/verify'
import { createGenesis } from '../core/log/author'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import { inviteBody } from '../core/testing/room'
import { createMemoryStore } from '../storage/memory-store'
import { AuthorLanes } from './author-lanes'
import { EventGossip } from './event-gossip'
import { ReplicaHost } from './replica-host'

const alice = testSigner('alice')
const bob = testSigner('bob')

/** `n` claims by alice and one by bob, signed in a real room. */
async function events(n: number): Promise<{ flood: EncodedEvent[]; honest: EncodedEvent }> {
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'r', open: false, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
  const host = new ReplicaHost({ room: genesis.id, store: createMemoryStore(), verifier: testVerifier })
  await host.ingest([genesis.bytes])
  for (const s of [alice, bob]) {
    const invite = await signInvite(inviteBody(genesis.id, owner, 'agent', { nonce: `n-${s.peerId}`, expires: Date.now() + 3600_000 }), owner)
    await host.author(s, 'member.joined', { displayName: 'x', kind: 'agent', capabilities: [], invite })
  }
  const claim = (s: typeof alice, i: number) => host.author(s, 'task.claimed', { taskId: `${s.peerId.slice(-4)}-${i}`, projectId: 'p', repository: 'r', title: 'Work', description: '' })
  const flood: EncodedEvent[] = []
  for (let i = 0; i < n; i++) flood.push(await claim(alice, i))
  return { flood, honest: await claim(bob, 0) }
}

describe('AuthorLanes', () => {
  it('keeps at most perLane callers of a key inside, lets them in in order, and never holds another key back (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()), { minLength: 1, maxLength: 80 }), async (plan) => {
        const lanes = new AuthorLanes(3)
        const inside = new Map<string, Array<[number, () => void]>>()
        const entered: Array<[string, number]> = []
        const all: Promise<void>[] = []
        for (const [i, [k, leaveOne]] of plan.entries()) {
          const key = `k${k}`
          all.push(lanes.enter(key).then((leave) => void (entered.push([key, i]), inside.set(key, [...(inside.get(key) ?? []), [i, leave]]))))
          await new Promise((r) => setImmediate(r))
          for (const [key2, list] of inside) expect(list.length, key2).toBeLessThanOrEqual(3)
          if (leaveOne) {
            const list = inside.get(key) ?? []
            const first = list.shift()
            first?.[1]()
            first?.[1]() // leaving twice frees one slot only
          }
        }
        // Everybody left: whoever waited gets in.
        for (let round = 0; round < plan.length; round++) {
          for (const list of inside.values()) for (const [, leave] of list.splice(0)) leave()
          await new Promise((r) => setImmediate(r))
        }
        await Promise.all(all)
        for (const k of ['k0', 'k1', 'k2']) {
          const order = entered.filter(([key]) => key === k).map(([, i]) => i)
          expect(order).toEqual([...order].sort((a, b) => a - b))
          expect(lanes.inside(k)).toBe(0)
        }
      }),
      { numRuns: 60 },
    )
  })

  it("in the gossip validator, another member's event reaches the replica host behind at most a lane of a backlog", async () => {
    const { flood, honest } = await events(100)
    const validators = new Map<string, (peer: { toString(): string }, msg: { data: Uint8Array }) => Promise<TopicValidatorResult>>()
    const node = { services: { pubsub: { topicValidators: validators, subscribe: () => undefined } } } as unknown as Libp2p<{ pubsub: GossipSub }>
    const started: string[] = []
    let busy = 0
    let mostBusy = 0
    // An ingest that takes a turn, like a group-commit write.
    const gossip = new EventGossip(node, {
      room: 'r',
      ingest: async (bytes) => {
        const who = bytes === honest.bytes ? 'bob' : 'alice'
        started.push(who)
        busy++
        mostBusy = Math.max(mostBusy, busy)
        await new Promise((r) => setImmediate(r))
        busy--
        return { status: 'accepted', id: flood[0].id }
      },
    })
    gossip.start()
    const validate = [...validators.values()][0]
    const relay = { toString: () => 'relay' }
    const verdicts = [...flood.map((e) => validate(relay, { data: e.bytes })), validate(relay, { data: honest.bytes })]
    expect(await Promise.all(verdicts)).toEqual(verdicts.map(() => TopicValidatorResult.Accept))
    expect(started.indexOf('bob')).toBeLessThanOrEqual(16)
    expect(mostBusy).toBeLessThanOrEqual(17)
    expect(gossip.lanes.queued).toBeGreaterThan(0)
  })
})
