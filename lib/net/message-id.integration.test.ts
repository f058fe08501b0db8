/**
 * Gossip without libp2p signatures, on real gossipsub nodes over loopback TCP: an event is one
 * message whoever publishes it (its id is its content), so a peer validates it once however
 * many peers send it; a discovery announcement repeated a second later is a new message.
 */
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import { meshMessageId } from './message-id'
import type { MeshServices } from './services'
import { loopbackNodes } from './testing/loopback'
import { discoveryTopic, eventsTopic } from './topics'

const ROOM = 'bafy-room'
const EVENTS = eventsTopic(ROOM)
const loopback = loopbackNodes()

async function node(): Promise<Libp2p<MeshServices>> {
  const n = await loopback({ services: { room: ROOM } })
  n.services.pubsub.subscribe(EVENTS)
  return n
}

const bytes = (s: string) => new TextEncoder().encode(s)

describe('content-addressed gossip', () => {
  it('two peers publishing the same event bytes make one message: the peer between them validates it once', async () => {
    const [a, b, c] = [await node(), await node(), await node()]
    await a.dial(c.getMultiaddrs()[0])
    await b.dial(c.getMultiaddrs()[0])
    const sees = (from: Libp2p<MeshServices>, who: PeerId) => from.services.pubsub.getSubscribers(EVENTS).some((p) => p.equals(who))
    await until('a and b to see c subscribed', () => sees(a, c.peerId) && sees(b, c.peerId), 20_000)

    // C holds the first copy in validation until B has published its own, so C has not
    // forwarded A's copy to B yet and both copies really travel.
    const validated: Array<{ from: string; data: string }> = []
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    c.services.pubsub.topicValidators.set(EVENTS, async (from: PeerId, msg: Message) => {
      const data = new TextDecoder().decode(msg.data)
      validated.push({ from: from.toString(), data })
      if (data === 'event-1') await held
      return TopicValidatorResult.Accept
    })
    await a.services.pubsub.publish(EVENTS, bytes('event-1'))
    await until('c to validate the first copy', () => validated.length === 1)
    await b.services.pubsub.publish(EVENTS, bytes('event-1'))
    release()
    // Each stream is ordered: once C has a later message from both, both copies of event-1 arrived.
    await a.services.pubsub.publish(EVENTS, bytes('after-a'))
    await b.services.pubsub.publish(EVENTS, bytes('after-b'))
    await until('c to validate both later messages', () => validated.some((v) => v.data === 'after-a') && validated.some((v) => v.data === 'after-b'))
    expect(validated.filter((v) => v.data === 'event-1')).toEqual([{ from: a.peerId.toString(), data: 'event-1' }])
  })

  it('gives an event its content hash as id on every peer, and a repeated announcement a new id each second', async () => {
    let now = 5_000
    const id = meshMessageId(() => now)
    const hex = async (topic: string, data: string) => Buffer.from(await id({ type: 'unsigned', topic, data: bytes(data) })).toString('hex')
    expect(await hex(EVENTS, 'e')).toBe(await hex(eventsTopic('other-room'), 'e'))
    expect(await hex(EVENTS, 'e')).not.toBe(await hex(EVENTS, 'f'))
    const first = await hex(discoveryTopic(ROOM), 'peer record')
    now += 400
    expect(await hex(discoveryTopic(ROOM), 'peer record')).toBe(first)
    now += 1000
    expect(await hex(discoveryTopic(ROOM), 'peer record')).not.toBe(first)
  })
})
