/**
 * Upgrades discovered tabs to direct WebRTC connections (libp2p does not dial discovered peers
 * by itself). Only the peer with the lower id dials, so two tabs never race each
 * other; a failed dial is retried a bounded number of times, as dials do time out now and then.
 *
 * libp2p emits `peer:discovery` only when a peer first enters the peer store, i.e. once per
 * peer for the life of the tab: a peer whose first dials failed, or that reloaded (same id, so
 * already in the store), would never be dialled again. So the dialer also listens to the
 * peers' own announcements on the discovery topic (every couple of seconds while they are
 * alive) and dials any announcer it still has no direct connection to. Dead peers stop
 * announcing, so nothing is retried for them.
 */
import type { Libp2p, PeerId, PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { readAccepted } from './announcer'

/** The part of a pubsub service the dialer listens to. */
export interface AnnouncementSource {
  addEventListener(type: 'message', listener: (evt: CustomEvent<{ topic: string; data?: Uint8Array }>) => void): void
  removeEventListener(type: 'message', listener: (evt: CustomEvent<{ topic: string; data?: Uint8Array }>) => void): void
}

export interface WebRTCDialerInit {
  /** Attempts per discovery or announcement before waiting for the next one. @default 3 */
  maxAttempts?: number
  retryMs?: number
  /** The peers' address announcements (the room's discovery topic on this pubsub). */
  announcements?: { pubsub: AnnouncementSource; topic: string }
}

/** See the module comment. */
export class WebRTCDialer {
  private readonly node: Libp2p
  private readonly maxAttempts: number
  private readonly retryMs: number
  private readonly announcements: WebRTCDialerInit['announcements']
  private readonly inFlight = new Set<string>()
  private stopped = true

  constructor(node: Libp2p, init: WebRTCDialerInit = {}) {
    this.node = node
    this.maxAttempts = init.maxAttempts ?? 3
    this.retryMs = init.retryMs ?? 1500
    this.announcements = init.announcements
  }

  start(): void {
    this.stopped = false
    this.node.addEventListener('peer:discovery', this.onDiscovery)
    this.announcements?.pubsub.addEventListener('message', this.onAnnouncement)
  }

  stop(): void {
    this.stopped = true
    this.node.removeEventListener('peer:discovery', this.onDiscovery)
    this.announcements?.pubsub.removeEventListener('message', this.onAnnouncement)
  }

  private readonly onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    this.consider(evt.detail.id.toString(), evt.detail.multiaddrs)
  }

  /** A peer announced its addresses again: the peer store has them (libp2p merges each announcement). */
  private readonly onAnnouncement = (evt: CustomEvent<{ topic: string; data?: Uint8Array }>): void => {
    const { topic, data } = evt.detail
    const from = data == null ? undefined : readAccepted(data)?.peerId
    if (this.stopped || from == null || topic !== this.announcements?.topic || !this.wants(from.toString())) return
    void this.node.peerStore.get(from).then(
      (peer) => this.consider(from.toString(), peer.addresses.map((a) => a.multiaddr)),
      () => undefined, // not merged yet: the next announcement will do
    )
  }

  /** True if we are the one to dial `remote` and nothing is under way or already there. */
  private wants(remote: string): boolean {
    return !this.stopped && !this.inFlight.has(remote) && this.node.peerId.toString() < remote && !this.hasDirect(remote)
  }

  private consider(remote: string, multiaddrs: readonly Multiaddr[]): void {
    if (!this.wants(remote)) return
    const targets = multiaddrs.filter((a) => a.toString().includes('/webrtc'))
    if (targets.length === 0) return
    this.inFlight.add(remote)
    void this.dial(remote, targets).finally(() => this.inFlight.delete(remote))
  }

  private hasDirect(remote: string): boolean {
    return this.node
      .getConnections()
      .some((c) => c.status === 'open' && c.remotePeer.toString() === remote && c.limits == null && c.remoteAddr.toString().includes('/webrtc'))
  }

  private async dial(remote: string, targets: Multiaddr[]): Promise<void> {
    for (let attempt = 1; attempt <= this.maxAttempts && !this.stopped; attempt++) {
      if (this.hasDirect(remote)) return
      try {
        await this.node.dial(targets, { signal: AbortSignal.timeout(15_000) })
        return
      } catch {
        await new Promise((r) => setTimeout(r, this.retryMs * attempt))
      }
    }
  }
}
