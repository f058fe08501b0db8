/**
 * Presence's probe of late peers: the peers whose last beat is more than one and a half of
 * their intervals old are pinged over a direct connection, and a reply counts as a beat, so a peer
 * whose gossip path is broken but which answers is never declared suspect or dead. Peers whose
 * beats arrive need no probe: the round-trip time shown for them is the one libp2p's connection
 * monitor measures on every connection anyway.
 */
import type { Connection } from '@libp2p/interface'
import type { PresenceTracker } from '../../core/presence/tracker'
import type { PresenceNode } from './service'

export class LateProbe {
  private readonly rtt = new Map<string, number>()
  private running = false

  constructor(
    private readonly node: PresenceNode,
    private readonly tracker: PresenceTracker,
    private readonly now: () => number,
  ) {}

  /** The round-trip time to show for a peer (ms): the connection monitor's, else this probe's last ping. */
  rttMs(peerId: string, conns: readonly Connection[]): number | undefined {
    const measured = conns.find((c) => c.status === 'open' && c.limits == null && c.rtt != null)?.rtt
    return measured != null ? Math.round(measured) : this.rtt.get(peerId)
  }

  /** Pings the late peers (see the module comment); false if a previous run is still going. */
  async run(): Promise<boolean> {
    if (this.running) return false
    this.running = true
    try {
      const now = this.now()
      const late = new Set(this.tracker.list().filter((p) => p.status !== 'left' && p.lastSeen < now - 1.5 * this.tracker.intervalOf(p.peerId)).map((p) => p.peerId))
      const targets = this.node.getPeers().filter((p) => late.has(p.toString()))
      await Promise.all(
        targets.map(async (peer) => {
          const id = peer.toString()
          const conns = this.node.getConnections(peer).filter((c) => c.status === 'open' && c.limits == null)
          if (conns.length === 0) return this.rtt.delete(id)
          try {
            const ms = await this.node.services.ping.ping(peer, { signal: AbortSignal.timeout(this.tracker.intervalMs) })
            this.rtt.set(id, Math.round(ms))
            this.tracker.confirm(id, this.now())
          } catch {
            this.rtt.delete(id)
          }
        }),
      )
      return true
    } finally {
      this.running = false
    }
  }
}
