/**
 * A tab's message ids on real gossipsub over loopback TCP, beside peers that name messages with
 * `meshMessageId` (relays, agents): an event published by either side is delivered once, and its
 * copy coming back the other way is a duplicate by either's ids; the tab's log takes the digest
 * of the event it validated without hashing it again.
 */
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import type { MeshServices } from './services'
import { tabMessageIds } from './tab-message-id'
import { loopbackNodes } from './testing/loopback'
import { eventsTopic } from './topics'
import { wasmSha256 } from './wasm-sha256'

const ROOM = 'bafy-room'
const TOPIC = eventsTopic(ROOM)
const loopback = loopbackNodes()

describe("a tab's message ids among peers using meshMessageId", () => {
  it('delivers each event once both ways, and the log hashes none it validated', async () => {
    const wasm = await wasmSha256()
    if (!wasm) throw new Error('no WebAssembly')
    let hashed = 0
    const ids = tabMessageIds((b) => (hashed++, wasm(b)))
    const tab: Libp2p<MeshServices> = await loopback({ services: { room: ROOM, gossip: { msgIdFn: ids.msgIdFn } } })
    const relay: Libp2p<MeshServices> = await loopback({ services: { room: ROOM } })
    const third: Libp2p<MeshServices> = await loopback({ services: { room: ROOM } })
    const seen = { tab: [] as string[], relay: [] as string[], third: [] as string[] }
    let loggedWithoutHash = 0
    for (const [name, n] of [['tab', tab], ['relay', relay], ['third', third]] as const) {
      n.services.pubsub.topicValidators.set(TOPIC, async (_peer, msg) => {
        seen[name].push(new TextDecoder().decode(msg.data).slice(0, 8))
        if (name === 'tab') {
          const before = hashed
          ids.sha256(msg.data)
          if (hashed === before) loggedWithoutHash++
        }
        return TopicValidatorResult.Accept
      })
      n.services.pubsub.subscribe(TOPIC)
    }
    // A triangle: every event reaches each peer by two paths, so duplicates really travel.
    await tab.dial(relay.getMultiaddrs()[0])
    await third.dial(relay.getMultiaddrs()[0])
    await tab.dial(third.getMultiaddrs()[0])
    const subscribed = (a: Libp2p<MeshServices>, b: Libp2p<MeshServices>) => a.services.pubsub.getSubscribers(TOPIC).some((p) => p.equals(b.peerId))
    await until('all three subscribed to each other', () => subscribed(tab, relay) && subscribed(tab, third) && subscribed(relay, third) && subscribed(third, tab), 20_000)
    const event = (s: string) => new TextEncoder().encode(`${s.padEnd(8)}${'x'.repeat(900)}`)
    await relay.services.pubsub.publish(TOPIC, event('relay-1'))
    await tab.services.pubsub.publish(TOPIC, event('tab-1'))
    await third.services.pubsub.publish(TOPIC, event('third-1'))
    await until('every event everywhere', () => seen.tab.length === 2 && seen.relay.length === 2 && seen.third.length === 2, 20_000)
    // Room for late duplicates to arrive and be dropped by the seen-cache before any validation.
    await new Promise((r) => setTimeout(r, 1500))
    expect(seen.tab.sort()).toEqual(['relay-1 ', 'third-1 '])
    expect(seen.relay.sort()).toEqual(['tab-1   ', 'third-1 '])
    expect(seen.third.sort()).toEqual(['relay-1 ', 'tab-1   '])
    expect(loggedWithoutHash).toBe(2)
    await Promise.all([tab.stop(), relay.stop(), third.stop()])
  }, 60_000)
})
