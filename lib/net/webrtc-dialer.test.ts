import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { encodeAnnouncement, signAnnouncement } from './announcer'
import { WebRTCDialer } from './webrtc-dialer'

const TOPIC = 'room/discovery'

/** Every test peer's key, to sign its announcements. */
const keys = new Map<string, PrivateKey>()

/** Two peer ids, the lower first (only the lower one dials). */
async function twoIds(): Promise<[PeerId, PeerId]> {
  const ids = await Promise.all(
    [0, 1].map(async () => {
      const key = await generateKeyPair('Ed25519')
      const id = peerIdFromPrivateKey(key)
      keys.set(id.toString(), key)
      return id
    }),
  )
  return ids.sort((a, b) => (a.toString() < b.toString() ? -1 : 1)) as [PeerId, PeerId]
}

/** A fake node: dials fail `failures` times, then open a direct WebRTC connection. */
function fakeNode(self: PeerId, remote: PeerId, failures: number) {
  const events = new EventTarget()
  const pubsub = new EventTarget()
  const addr = multiaddr(`/ip4/127.0.0.1/tcp/1/ws/p2p/${self}/p2p-circuit/webrtc/p2p/${remote}`)
  const connections: Array<{ status: string; remotePeer: PeerId; limits: undefined; remoteAddr: Multiaddr }> = []
  let dials = 0
  const node = {
    peerId: self,
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    getConnections: () => connections,
    peerStore: { get: async () => ({ addresses: [{ multiaddr: addr }] }) },
    dial: async () => {
      dials++
      if (dials <= failures) throw new Error('ICE failed')
      connections.push({ status: 'open', remotePeer: remote, limits: undefined, remoteAddr: addr })
    },
  } as unknown as Libp2p
  return {
    node,
    pubsub,
    dials: () => dials,
    discover: () => events.dispatchEvent(new CustomEvent('peer:discovery', { detail: { id: remote, multiaddrs: [addr] } })),
    announce: async () => {
      const data = await signAnnouncement(keys.get(remote.toString()) as PrivateKey, TOPIC, [])
      pubsub.dispatchEvent(new CustomEvent('message', { detail: { topic: TOPIC, type: 'unsigned', data } }))
    },
    /** An announcement without a signature, as an older peer publishes it. */
    announceUnsigned: () => pubsub.dispatchEvent(new CustomEvent('message', { detail: { topic: TOPIC, type: 'unsigned', data: encodeAnnouncement((keys.get(remote.toString()) as PrivateKey).publicKey) } })),
    direct: () => connections.length > 0,
  }
}

/** A dialer on `f`'s node listening to its announcements. */
const dialerFor = (f: ReturnType<typeof fakeNode>, init: { maxAttempts?: number; retryMs?: number } = {}) =>
  new WebRTCDialer(f.node, { ...init, announcements: { pubsub: f.pubsub as never, topic: TOPIC } })

/** Lets queued dials (if any) run. */
const settle = () => new Promise((r) => setTimeout(r, 20))

const until = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5))
}

describe('WebRTCDialer', () => {
  it('dials again when a peer whose first dials failed announces itself again (libp2p discovers a peer only once)', async () => {
    const [low, high] = await twoIds()
    const f = fakeNode(low, high, 2)
    const dialer = dialerFor(f, { maxAttempts: 2, retryMs: 1 })
    dialer.start()
    f.discover()
    await until(() => f.dials() === 2)
    await settle()
    expect(f.direct()).toBe(false)
    // A record nobody signed names no one: it dials nothing.
    f.announceUnsigned()
    await settle()
    expect(f.dials()).toBe(2)
    // The discovery event does not come again; the peer's next announcement does.
    await f.announce()
    await until(f.direct)
    expect(f.direct()).toBe(true)
    expect(f.dials()).toBe(3)
    // Connected: further announcements dial nothing.
    await f.announce()
    await settle()
    expect(f.dials()).toBe(3)
    dialer.stop()
  })

  it('leaves the dial to the peer with the lower id, and stops listening when stopped', async () => {
    const [low, high] = await twoIds()
    const f = fakeNode(high, low, 0)
    const dialer = dialerFor(f)
    dialer.start()
    f.discover()
    await f.announce()
    await settle()
    expect(f.dials()).toBe(0)
    dialer.stop()

    const g = fakeNode(low, high, 0)
    const other = dialerFor(g)
    other.start()
    other.stop()
    await g.announce()
    await settle()
    expect(g.dials()).toBe(0)
  })
})
