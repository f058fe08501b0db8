/**
 * A tab served by a relay is a leaf of the room's gossip, on real gossipsub nodes over loopback
 * TCP: its only mesh peer is the relay, it writes nothing to another tab while the room's
 * traffic passes, its own messages still reach that tab directly, and once the relay is gone
 * the tabs graft each other again.
 */
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import type { MeshServices } from './services'
import { LEAF_SCORE, tabGossip } from './tab-gossip'
import { countWrites } from './testing/gossip-writes'
import { loopbackNodes } from './testing/loopback'
import { eventsTopic } from './topics'
import { roomScoring } from './scoring'

const ROOM = 'bafy-room'
const TOPIC = eventsTopic(ROOM)
const loopback = loopbackNodes()

type Node = Libp2p<MeshServices>

/** A tab whose relay is `relay` while it holds an open connection to it. */
async function tab(relay: Node): Promise<Node> {
  let self: Node | undefined
  const serving = () => {
    const id = relay.peerId.toString()
    return self?.getConnections(relay.peerId).some((c) => c.status === 'open') === true ? [id] : []
  }
  self = await loopback({ services: { room: ROOM, gossip: tabGossip(ROOM, serving) } })
  self.services.pubsub.subscribe(TOPIC)
  return self
}

// The GossipSub interface leaves the mesh out; the implementation has it.
const mesh = (n: Node) => (n.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(TOPIC).sort()
const payload = (i: number) => new TextEncoder().encode(`event ${i} ${'x'.repeat(900)}`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a tab is a leaf of the room gossip while a relay serves it', () => {
  it('scores a peer that is not its relay out of the mesh and the gossip, in reach of its publishes', () => {
    const { scoreThresholds } = roomScoring(ROOM)
    const topicCap = 10 // gossipsub's default topicScoreCap: the most a peer's deliveries earn it
    expect(LEAF_SCORE + topicCap).toBeLessThan(Math.min(0, scoreThresholds!.gossipThreshold!))
    expect(LEAF_SCORE).toBeGreaterThanOrEqual(scoreThresholds!.publishThreshold!)
    const score = tabGossip(ROOM, () => ['relay']).scoreParams!
    expect(score.appSpecificScore!('another tab') * score.appSpecificWeight!).toBe(LEAF_SCORE)
    expect(score.appSpecificScore!('relay')).toBe(0)
    expect(tabGossip(ROOM, () => []).scoreParams!.appSpecificScore!('another tab')).toBe(0)
  })

  it('forwards nothing to another tab, still sends it its own messages, and grafts it once the relay is gone', async () => {
    const relay = await loopback({ services: { room: ROOM, hub: true } })
    relay.services.pubsub.subscribe(TOPIC)
    const [a, b] = [await tab(relay), await tab(relay)]
    await a.dial(relay.getMultiaddrs()[0])
    await b.dial(relay.getMultiaddrs()[0])
    await a.dial(b.getMultiaddrs()[0])
    const writes = await countWrites(a, b)
    await until('the relay to graft both tabs', () => mesh(relay).length === 2, 20_000)
    await until('each tab to graft the relay', () => [a, b].every((t) => mesh(t).includes(relay.peerId.toString())), 20_000)
    // Three heartbeats: any graft between the tabs would have happened by now.
    await sleep(3_000)
    expect(mesh(a)).toEqual([relay.peerId.toString()])
    expect(mesh(b)).toEqual([relay.peerId.toString()])

    const got: string[] = []
    b.services.pubsub.addEventListener('message', (e) => void got.push(new TextDecoder().decode(e.detail.data).slice(0, 9)))
    const before = writes()
    for (let i = 0; i < 20; i++) await relay.services.pubsub.publish(TOPIC, payload(i))
    await until('b to receive the relay’s messages', () => got.length >= 20, 20_000)
    await sleep(1_500)
    expect(writes() - before).toBe(0)

    const own = writes()
    for (let i = 100; i < 110; i++) await a.services.pubsub.publish(TOPIC, payload(i))
    await until('b to receive a’s own messages', () => got.length >= 30, 20_000)
    expect(writes() - own).toBeGreaterThanOrEqual(10)

    await relay.stop()
    // Within a heartbeat or two, unless a tab pruned the other while it was served: gossipsub's
    // prune back-off (a minute) then holds the graft back, as ADR 0113 says.
    await until('the tabs to graft each other without the relay', () => mesh(a).includes(b.peerId.toString()) && mesh(b).includes(a.peerId.toString()), 75_000)
  }, 150_000)
})
