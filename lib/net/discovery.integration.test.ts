/**
 * Signed discovery on real gossipsub nodes over loopback TCP: a listener learns a peer's own
 * addresses through the hub, while a member that announces addresses under another peer's key
 * is stopped at the hub (and loses score there), so nobody is made to dial the host it names.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Message } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import { encodeAnnouncement, openAnnouncement, signAnnouncement } from './announcer'
import { signedDiscovery } from './discovery'
import type { MeshServices } from './services'
import { loopbackNodes } from './testing/loopback'
import { discoveryTopic } from './topics'

const ROOM = 'bafy-room'
const TOPIC = discoveryTopic(ROOM)
const loopback = loopbackNodes()

async function node(opts: { hub?: boolean; announce?: boolean; privateKey?: PrivateKey } = {}): Promise<Libp2p<MeshServices>> {
  const n = await loopback({
    services: { room: ROOM, hub: opts.hub },
    init: { privateKey: opts.privateKey, peerDiscovery: opts.announce === true ? [signedDiscovery({ topic: TOPIC, interval: 300 })] : [] },
  })
  n.services.pubsub.subscribe(TOPIC)
  return n
}

/** `peer`'s gossipsub score at `n` (the implementation has it; the exported interface does not). */
const scoreOf = (n: Libp2p<MeshServices>, peer: Libp2p<MeshServices>): number => (n.services.pubsub as unknown as { getScore(id: string): number }).getScore(peer.peerId.toString())

describe('signed discovery', () => {
  it('a listener learns a peer\'s own addresses; a record under another peer\'s key stops at the hub, which penalises its sender', async () => {
    const hub = await node({ hub: true })
    const listener = await node({ announce: true })
    const malloryKey = await generateKeyPair('Ed25519')
    const mallory = await node({ announce: true, privateKey: malloryKey })
    await listener.dial(hub.getMultiaddrs()[0])
    await mallory.dial(hub.getMultiaddrs()[0])
    const heard: string[] = []
    listener.services.pubsub.addEventListener('message', (evt: CustomEvent<Message>) => {
      if (evt.detail.topic !== TOPIC) return
      void openAnnouncement(evt.detail.data, TOPIC).then((o) => heard.push(o.status === 'signed' ? o.peerId.toString() : o.status))
    })

    // Mallory's own signed announcements reach the listener, whose peer store gets her address.
    await until('the listener to learn mallory\'s own address', async () => {
      const known = await listener.peerStore.get(mallory.peerId).catch(() => undefined)
      return known?.addresses.some((a) => a.multiaddr.toString() === mallory.getMultiaddrs()[0].toString().replace(`/p2p/${mallory.peerId}`, '')) === true
    }, 20_000)

    // Then she names a host of her choosing under another peer's key: signed by her key, by
    // nobody, and with no signature at all (an older peer's format).
    const victimKey = await generateKeyPair('Ed25519')
    const victim = peerIdFromPrivateKey(victimKey)
    const target = [multiaddr('/ip4/10.255.0.1/tcp/22').bytes]
    const hers = await signAnnouncement(malloryKey, TOPIC, target)
    const theirs = encodeAnnouncement(victimKey.publicKey, target)
    const resigned = new Uint8Array([...theirs, ...hers.subarray(encodeAnnouncement(malloryKey.publicKey, target).length)])
    const before = scoreOf(hub, mallory)
    await mallory.services.pubsub.publish(TOPIC, resigned)
    await mallory.services.pubsub.publish(TOPIC, new Uint8Array([...theirs, 26, 64, ...new Uint8Array(64).fill(7)]))
    await mallory.services.pubsub.publish(TOPIC, theirs)
    await until('the hub to penalise mallory', () => scoreOf(hub, mallory) < Math.min(before, 0), 20_000)

    // A genuine record of the victim's, published through mallory, still goes through: only forgeries stop.
    await mallory.services.pubsub.publish(TOPIC, await signAnnouncement(victimKey, TOPIC, [multiaddr('/ip4/127.0.0.1/tcp/9').bytes]))
    await until('the listener to hear the victim\'s own record', () => heard.includes(victim.toString()), 20_000)
    expect(heard.filter((h) => h !== mallory.peerId.toString() && h !== victim.toString())).toEqual([])
    const known = await listener.peerStore.get(victim).catch(() => undefined)
    expect(known?.addresses.map((a) => a.multiaddr.toString()) ?? []).not.toContain('/ip4/10.255.0.1/tcp/22')
  }, 60_000)
})
