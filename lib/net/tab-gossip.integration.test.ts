/**
 * A tab served by a relay is a leaf of the room's gossip, on real gossipsub nodes over loopback
 * TCP: its only mesh peer is the relay, it writes nothing to another tab while the room's
 * traffic passes, its own messages still reach that tab directly, and once the relay is gone
 * the tabs graft each other again — within seconds even when one tab learns it before the other,
 * and again after the relay came back and went in the same minute.
 */
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import type { MeshServices } from './services'
import { LEAF_SCORE, TAB_PRUNE_BACKOFF_MS, tabGossip } from './tab-gossip'
import { countWrites } from './testing/gossip-writes'
import { loopbackNodes } from './testing/loopback'
import { eventsTopic } from './topics'
import { roomScoring } from './scoring'

const ROOM = 'bafy-room'
const TOPIC = eventsTopic(ROOM)
const loopback = loopbackNodes()

type Node = Libp2p<MeshServices>

/**
 * A tab whose relay is `relay` while it holds an open connection to it, or while `served()` says
 * so when given (what the tab believes, which two tabs learn at different heartbeats).
 */
async function tab(relay: Node, served?: () => boolean): Promise<Node> {
  let self: Node | undefined
  const serving = () => {
    const id = relay.peerId.toString()
    if (served != null) return served() ? [id] : []
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
/**
 * A tab's prune back-off, then gossipsub's clearing of expired back-offs, which runs every 15
 * heartbeats (so up to 21 s in all), with room for a loaded machine; gossipsub's default
 * back-off of a minute takes 61–76 s.
 */
const GRAFT_AFTER_BACKOFF_MS = TAB_PRUNE_BACKOFF_MS + 35_000

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
    await until('the tabs to graft each other without the relay', () => grafted(a, b), GRAFT_AFTER_BACKOFF_MS)
  }, 120_000)

  it('grafts the other tab within seconds when the tabs learn at different times that the relay is gone, and when it comes back', async () => {
    const relay = await loopback({ services: { room: ROOM, hub: true } })
    relay.services.pubsub.subscribe(TOPIC)
    const served = { a: true, b: true }
    const [a, b] = [await tab(relay, () => served.a), await tab(relay, () => served.b)]
    await a.dial(relay.getMultiaddrs()[0])
    await b.dial(relay.getMultiaddrs()[0])
    await a.dial(b.getMultiaddrs()[0])
    await until('each tab to graft the relay', () => [a, b].every((t) => mesh(t).includes(relay.peerId.toString())), 20_000)
    await sleep(2_000)
    expect(grafted(a, b)).toBe(false)

    // a grafts b at its next heartbeat; b, still served, answers with a PRUNE and its back-off.
    served.a = false
    await sleep(3_000)
    served.b = false
    await until('the tabs to graft each other once both know', () => grafted(a, b), GRAFT_AFTER_BACKOFF_MS)

    served.a = served.b = true
    await until('the tabs to prune each other once the relay is back', () => !mesh(a).includes(b.peerId.toString()) && !mesh(b).includes(a.peerId.toString()), 10_000)
    served.a = served.b = false
    await until('the tabs to graft each other when it goes again within the minute', () => grafted(a, b), GRAFT_AFTER_BACKOFF_MS)
  }, 120_000)
})

const grafted = (a: Node, b: Node) => mesh(a).includes(b.peerId.toString()) && mesh(b).includes(a.peerId.toString())
