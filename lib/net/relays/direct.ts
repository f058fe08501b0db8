/**
 * Agents that listen (`--listen`, TCP or WebSockets) mesh with each other directly, so agents
 * on one network keep exchanging events when every relay is gone. A listening agent announces
 * its addresses on the room's discovery topic in signed records (discovery.ts), as the tabs
 * do; this dialer reads the announcements on that topic and dials every announcer
 * that is an agent member of the room and has a TCP or WebSockets address, unless a direct
 * connection is already open.
 *
 * The lower peer id dials first so two agents rarely race; the higher one dials too once it
 * has heard a few announcements without a connection appearing (the lower one may not reach
 * it — another network, a firewall). An agent that does not listen runs the dialer too, and
 * dials at the first announcement whatever the ids: nobody can dial it, so it waits for no one.
 * An announcement reaches the dialer only once the topic's validator has checked that the
 * announced peer's own key signed it (announcer.ts), so every address dialled is one its peer
 * chose to announce.
 */
import type { Libp2p, PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { readAccepted } from '../announcer'
import { directAddr } from './pool'
import { peerIdOfAddr, withPeerId } from './record'

/** The part of a pubsub service the dialer listens to. */
export interface DirectAnnouncements {
  addEventListener(type: 'message', listener: (evt: CustomEvent<Announcement>) => void): void
  removeEventListener(type: 'message', listener: (evt: CustomEvent<Announcement>) => void): void
}

/** A pubsub message as the dialer reads it. */
export interface Announcement {
  topic: string
  data: Uint8Array
}

export interface DirectDialerInit {
  pubsub: DirectAnnouncements
  topic: string
  /** True for peers to mesh with (agent members of the room). */
  accept(peerId: string): boolean
  /** False for an agent nobody can dial (no listen address): it dials first, always. @default true */
  listening?: boolean
  /** Announcements heard without a connection before the higher id dials too. @default 3 */
  patience?: number
  dialTimeoutMs?: number
}

/** A TCP or WebSockets address without a relay hop or WebRTC. */
export const agentDialable = (a: string): boolean => directAddr(a) && a.includes('/tcp/')

/** See the module comment. */
export class DirectDialer {
  private readonly node: Libp2p
  private readonly init: DirectDialerInit
  private readonly self: string
  private readonly inFlight = new Set<string>()
  private readonly heard = new Map<string, number>()
  private stopped = true

  constructor(node: Libp2p, init: DirectDialerInit) {
    this.node = node
    this.init = init
    this.self = node.peerId.toString()
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.init.pubsub.addEventListener('message', this.onAnnouncement)
  }

  stop(): void {
    this.stopped = true
    this.init.pubsub.removeEventListener('message', this.onAnnouncement)
  }

  /** Accepted peers this node holds a direct connection to (either side dialled). */
  peers(): string[] {
    const ids = new Set(this.node.getConnections().filter((c) => c.status === 'open' && c.limits == null).map((c) => c.remotePeer.toString()))
    return [...ids].filter((id) => this.init.accept(id))
  }

  private readonly onAnnouncement = (evt: CustomEvent<Announcement>): void => {
    const { topic, data } = evt.detail
    const announced = readAccepted(data)
    if (this.stopped || announced == null || topic !== this.init.topic) return
    const remote = announced.peerId.toString()
    if (remote === this.self || this.inFlight.has(remote) || !this.init.accept(remote)) return
    if (this.hasDirect(remote)) return void this.heard.delete(remote)
    const heard = (this.heard.get(remote) ?? 0) + 1
    this.heard.set(remote, heard)
    if (this.init.listening !== false && this.self > remote && heard < (this.init.patience ?? 3)) return
    const addrs: Multiaddr[] = []
    for (const bytes of announced.addrs) {
      try {
        const a = multiaddr(bytes)
        if (agentDialable(a.toString())) addrs.push(a)
      } catch {
        // An address this version cannot read: the others may do.
      }
    }
    // Dialled as the announcer: an address naming another peer is not its own.
    const own = withPeerId(addrs.map((a) => a.toString()), remote).filter((a) => peerIdOfAddr(a) === remote)
    void this.dial(remote, own.map((a) => multiaddr(a)))
  }

  private hasDirect(remote: string): boolean {
    return this.node.getConnections().some((c) => c.status === 'open' && c.limits == null && c.remotePeer.toString() === remote)
  }

  private async dial(remote: string, addrs: Multiaddr[]): Promise<void> {
    if (addrs.length === 0 || this.stopped || this.inFlight.has(remote)) return
    this.inFlight.add(remote)
    try {
      await this.node.dial(addrs, { signal: AbortSignal.timeout(this.init.dialTimeoutMs ?? 10_000) })
      this.heard.delete(remote)
    } catch {
      // Unreachable from here (another network): the next announcements try again.
    } finally {
      this.inFlight.delete(remote)
    }
  }
}
