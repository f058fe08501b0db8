/**
 * Lazy gossip and message ids local to a peer, on real gossipsub nodes over loopback TCP. C
 * publishes through A to B, and B keeps A out of its mesh (as a peer does until its graft is
 * through), so everything B gets from A comes by IHAVE / IWANT. B names heartbeats a second
 * later than A does, as a peer whose IWANT is answered after the second has turned: asking A for
 * a heartbeat it advertised would count a broken promise against an honest A — the behaviour
 * penalty that makes an agent prune its relay and take events by sync for seconds (local-ids.ts).
 */
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import { meshMessageId } from './message-id'
import type { MeshServices } from './services'
import { loopbackNodes } from './testing/loopback'
import { eventsTopic, presenceTopic } from './topics'

const ROOM = 'bafy-room'
const EVENTS = eventsTopic(ROOM)
const PRESENCE = presenceTopic(ROOM)
const loopback = loopbackNodes()

/** The behaviour penalties `node` charges, by reason (gossipsub's peer score, an internal member). */
function penalties(node: Libp2p<MeshServices>): Map<string, number> {
  const counted = new Map<string, number>()
  const score = (node.services.pubsub as unknown as { score: { addPenalty(id: string, n: number, reason: string): void } }).score
  const add = score.addPenalty.bind(score)
  score.addPenalty = (id, n, reason) => {
    counted.set(reason, (counted.get(reason) ?? 0) + n)
    add(id, n, reason)
  }
  return counted
}

async function subscribed(n: Libp2p<MeshServices>): Promise<Libp2p<MeshServices>> {
  for (const topic of [EVENTS, PRESENCE]) {
    n.services.pubsub.topicValidators.set(topic, async () => TopicValidatorResult.Accept)
    n.services.pubsub.subscribe(topic)
  }
  return n
}

describe('no lazy gossip on ids local to a peer', () => {
  it('a peer outside the mesh takes heartbeats from no IHAVE and counts no broken promise; events still come by IHAVE / IWANT', async () => {
    const a = await subscribed(await loopback({ services: { room: ROOM } }))
    const c = await subscribed(await loopback({ services: { room: ROOM } }))
    // B refuses every GRAFT on connections it did not dial (mesh at most 0), and names the
    // messages of windowed topics 1.5 s later than A.
    const b = await subscribed(await loopback({ services: { room: ROOM, gossip: { D: 0, Dlo: 0, Dhi: 0, Dout: 0, msgIdFn: meshMessageId(() => Date.now() + 1500) } } }))
    const charged = penalties(b)
    const received: string[] = []
    b.services.pubsub.addEventListener('message', (e) => received.push(`${e.detail.topic === EVENTS ? 'event' : 'beat'}:${new TextDecoder().decode(e.detail.data)}`))
    await a.dial(c.getMultiaddrs()[0])
    await a.dial(b.getMultiaddrs()[0])
    const meshOf = (n: Libp2p<MeshServices>, topic: string) => (n.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(topic)
    await until('A to mesh C', () => meshOf(a, PRESENCE).includes(c.peerId.toString()) && meshOf(a, EVENTS).includes(c.peerId.toString()), 20_000)
    await until('A to see B subscribed', () => a.services.pubsub.getSubscribers(PRESENCE).some((p) => p.equals(b.peerId)), 20_000)
    // A grafts B at a heartbeat and B refuses: A then gossips to B instead of forwarding.
    await new Promise((r) => setTimeout(r, 2500))
    expect(meshOf(a, PRESENCE)).not.toContain(b.peerId.toString())

    // Beats for four seconds: A advertises each to B for three heartbeats.
    for (let i = 0; i < 16; i++) {
      await c.services.pubsub.publish(PRESENCE, new TextEncoder().encode(`beat-${i}`))
      await new Promise((r) => setTimeout(r, 250))
    }
    // A promise breaks 3 s after its IWANT and is charged at B's next heartbeat.
    await new Promise((r) => setTimeout(r, 4500))
    expect(charged.get('broken_promise') ?? 0).toBe(0)
    expect(received.filter((m) => m.startsWith('beat:'))).toEqual([])

    // The events topic's ids are the same on every peer: B still gets an event from A by IHAVE / IWANT.
    await c.services.pubsub.publish(EVENTS, new TextEncoder().encode('event-1'))
    await until('B to get the event by lazy gossip', () => received.includes('event:event-1'), 5000)
    expect(charged.get('broken_promise') ?? 0).toBe(0)
  }, 60_000)
})
