/**
 * Who dials whom among agents on one network: a listening agent with the higher id waits for a
 * few announcements (the lower one dials first), while an agent that does not listen dials at
 * the first announcement whatever the ids, since nobody can dial it.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { signAnnouncement } from '../announcer'
import { DirectDialer } from './direct'

const TOPIC = 'discovery'

async function peers(n: number) {
  const keys = await Promise.all(Array.from({ length: n }, () => generateKeyPair('Ed25519')))
  return keys.map((k) => ({ key: k, id: peerIdFromPrivateKey(k) })).sort((a, b) => (a.id.toString() < b.id.toString() ? -1 : 1))
}

/** A dialer on a fake node that records its dials and never connects. */
function dialerOn(self: Awaited<ReturnType<typeof peers>>[number], listening: boolean) {
  const pubsub = new EventTarget()
  const dials: string[] = []
  const node = {
    peerId: self.id,
    getConnections: () => [],
    dial: async (addrs: ReturnType<typeof multiaddr>[]) => {
      dials.push(addrs[0].toString())
      throw new Error('unreachable in this test')
    },
  } as unknown as Libp2p
  const dialer = new DirectDialer(node, { pubsub: pubsub as never, topic: TOPIC, accept: () => true, listening })
  dialer.start()
  const hear = async (from: Awaited<ReturnType<typeof peers>>[number]) => {
    const data = await signAnnouncement(from.key, TOPIC, [multiaddr('/ip4/10.0.0.2/tcp/7790').bytes])
    pubsub.dispatchEvent(new CustomEvent('message', { detail: { topic: TOPIC, data } }))
    await new Promise((r) => setTimeout(r, 0))
  }
  return { dials, hear, dialer }
}

describe('DirectDialer: who dials', () => {
  it('a listening agent with the higher id waits three announcements; one that does not listen dials at the first', async () => {
    const [low, high] = await peers(2)
    const listening = dialerOn(high, true)
    await listening.hear(low)
    await listening.hear(low)
    expect(listening.dials).toEqual([])
    await listening.hear(low)
    expect(listening.dials).toEqual([`/ip4/10.0.0.2/tcp/7790/p2p/${low.id.toString()}`])

    const mute = dialerOn(high, false)
    await mute.hear(low)
    expect(mute.dials).toEqual([`/ip4/10.0.0.2/tcp/7790/p2p/${low.id.toString()}`])
  })

  it('the lower id dials at the first announcement either way', async () => {
    const [low, high] = await peers(2)
    for (const listening of [true, false]) {
      const d = dialerOn(low, listening)
      await d.hear(high)
      expect(d.dials).toHaveLength(1)
    }
  })
})
