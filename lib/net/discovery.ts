/**
 * Peer discovery on a room's discovery topic with signed announcements (announcer.ts, ADR 0085).
 *
 * It does what pubsub-peer-discovery does — announce this peer's addresses every interval while
 * anyone listens, and report every other peer's announcement to libp2p, which merges the
 * addresses into the peer store — but signs what it announces, and reports only announcements
 * that passed the topic's validator, which it installs itself if nothing has yet.
 */
import type { GossipSub, Message } from '@libp2p/gossipsub'
import { peerDiscoverySymbol, TypedEventEmitter, type PeerDiscovery, type PeerDiscoveryEvents, type PeerId, type PrivateKey } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { discoveryValidator, readAccepted, signAnnouncement } from './announcer'

export interface SignedDiscoveryInit {
  /** The room's discovery topic (`discoveryTopic(room)`). */
  topic: string
  /** How often this peer announces its addresses (ms). */
  interval: number
}

/** What the module needs from libp2p's components. */
interface Components {
  peerId: PeerId
  privateKey: PrivateKey
  addressManager: { getAddresses(): Multiaddr[] }
  pubsub?: GossipSub
}

class SignedDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly [peerDiscoverySymbol] = true
  readonly [Symbol.toStringTag] = 'chorus-mesh/signed-discovery'
  private readonly components: Components
  private readonly init: SignedDiscoveryInit
  private timer: ReturnType<typeof setInterval> | undefined
  /** The last record signed and the addresses it names: re-signed only when they change. */
  private signed: { key: string; data: Uint8Array } | undefined

  constructor(components: Components, init: SignedDiscoveryInit) {
    super()
    this.components = components
    this.init = init
  }

  private get pubsub(): GossipSub {
    const pubsub = this.components.pubsub
    if (pubsub == null) throw new Error('signed discovery needs gossipsub registered as the `pubsub` service')
    return pubsub
  }

  start(): void {}

  afterStart(): void {
    if (this.timer != null) return
    const { topic } = this.init
    if (!this.pubsub.topicValidators.has(topic)) this.pubsub.topicValidators.set(topic, discoveryValidator(topic))
    this.pubsub.subscribe(topic)
    this.pubsub.addEventListener('message', this.onMessage)
    void this.announce()
    this.timer = setInterval(() => void this.announce(), this.init.interval)
  }

  beforeStop(): void {
    this.pubsub.removeEventListener('message', this.onMessage)
    this.pubsub.unsubscribe(this.init.topic)
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private async announce(): Promise<void> {
    const { topic } = this.init
    // Nobody to tell: a record published now would only be dropped.
    if (this.pubsub.getSubscribers(topic).length === 0) return
    const addrs = this.components.addressManager.getAddresses().map((a) => a.bytes)
    const key = addrs.map((a) => multiaddr(a).toString()).join(' ')
    if (this.signed?.key !== key) this.signed = { key, data: await signAnnouncement(this.components.privateKey, topic, addrs) }
    try {
      await this.pubsub.publish(topic, this.signed.data)
    } catch {
      // The mesh went away between the check and the publish: the next interval tries again.
    }
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const { topic, data } = evt.detail
    if (topic !== this.init.topic || this.timer == null) return
    // Gossipsub delivers only what the validator accepted.
    const announced = readAccepted(data)
    if (announced == null || announced.peerId.equals(this.components.peerId)) return
    const multiaddrs: Multiaddr[] = []
    for (const a of announced.addrs) {
      try {
        multiaddrs.push(multiaddr(a))
      } catch {
        // An address this version cannot read: the others may do.
      }
    }
    this.safeDispatchEvent('peer', { detail: { id: announced.peerId, multiaddrs } })
  }
}

/** The libp2p `peerDiscovery` entry announcing and hearing signed records on `init.topic`. */
export function signedDiscovery(init: SignedDiscoveryInit): (components: Components) => PeerDiscovery {
  return (components) => new SignedDiscovery(components, init)
}
