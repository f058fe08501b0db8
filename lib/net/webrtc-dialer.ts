/**
 * Upgrades discovered tabs to direct WebRTC connections (NOTES-libp2p: discovered peers are not
 * dialled by themselves). Only the peer with the lower id dials, so two tabs never race each
 * other; a failed dial is retried a bounded number of times, as dials do time out now and then.
 */
import type { Libp2p, PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface WebRTCDialerInit {
  /** Attempts per discovered peer before giving up until it is discovered again. @default 3 */
  maxAttempts?: number
  retryMs?: number
}

/** See the module comment. */
export class WebRTCDialer {
  private readonly node: Libp2p
  private readonly maxAttempts: number
  private readonly retryMs: number
  private readonly inFlight = new Set<string>()
  private stopped = true

  constructor(node: Libp2p, init: WebRTCDialerInit = {}) {
    this.node = node
    this.maxAttempts = init.maxAttempts ?? 3
    this.retryMs = init.retryMs ?? 1500
  }

  start(): void {
    this.stopped = false
    this.node.addEventListener('peer:discovery', this.onDiscovery)
  }

  stop(): void {
    this.stopped = true
    this.node.removeEventListener('peer:discovery', this.onDiscovery)
  }

  private readonly onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    const { id, multiaddrs } = evt.detail
    const remote = id.toString()
    if (this.stopped || this.inFlight.has(remote)) return
    if (this.node.peerId.toString() >= remote) return
    const targets = multiaddrs.filter((a) => a.toString().includes('/webrtc'))
    if (targets.length === 0 || this.hasDirect(remote)) return
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
