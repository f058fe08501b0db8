/**
 * Coalesced gossip writes on real gossipsub nodes over loopback TCP: a burst a hub sends in one
 * task reaches the other peer whole and in order, in far fewer stream writes than messages; a
 * peer that is not a hub writes each message as it is made.
 */
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import type { MeshServices } from './services'
import { countWrites } from './testing/gossip-writes'
import { loopbackNodes } from './testing/loopback'
import { eventsTopic } from './topics'

const TOPIC = eventsTopic('bafy-room')
const loopback = loopbackNodes()

async function node(hub = false): Promise<Libp2p<MeshServices>> {
  const n = await loopback({ services: { room: 'bafy-room', hub } })
  n.services.pubsub.subscribe(TOPIC)
  return n
}

/** Publishes 300 messages from `a` in one task; resolves to what `b` received, in order. */
async function burst(a: Libp2p<MeshServices>, b: Libp2p<MeshServices>): Promise<{ sent: string[]; got: string[] }> {
  await a.dial(b.getMultiaddrs()[0])
  await until('a to see b subscribed', () => a.services.pubsub.getSubscribers(TOPIC).some((p) => p.equals(b.peerId)), 20_000)
  const got: string[] = []
  b.services.pubsub.addEventListener('message', (e) => {
    if (e.detail.topic === TOPIC) got.push(new TextDecoder().decode(e.detail.data))
  })
  const sent = Array.from({ length: 300 }, (_, i) => `event ${i} ${'x'.repeat(900)}`)
  await Promise.all(sent.map((s) => a.services.pubsub.publish(TOPIC, new TextEncoder().encode(s))))
  await until('b to receive the burst', () => got.length >= sent.length, 20_000)
  return { sent, got }
}

describe('coalesced gossip writes', () => {
  it('a hub sends a burst of 300 messages published in one task whole and in order, in a handful of writes', async () => {
    const [a, b] = [await node(true), await node()]
    await a.dial(b.getMultiaddrs()[0])
    const writes = await countWrites(a, b)
    const { sent, got } = await burst(a, b)
    expect(got).toEqual(sent)
    expect(writes()).toBeLessThan(30)
  })

  it('a peer that is not a hub writes each message as it is made', async () => {
    const [a, b] = [await node(), await node(true)]
    await a.dial(b.getMultiaddrs()[0])
    const writes = await countWrites(a, b)
    const { sent, got } = await burst(a, b)
    expect(got).toEqual(sent)
    expect(writes()).toBeGreaterThanOrEqual(sent.length)
  })
})
