/**
 * Keeps a peer connected to its relay(s). libp2p does not redial a relay that went away, and
 * upstream does not re-reserve a circuit slot after the relay restarts (js-libp2p #3601): the
 * reservation store only reserves again when a relay peer (re)appears. So we poll: whenever no
 * open connection to the relay exists, dial it again with backoff; identify then announces the
 * hop protocol and the circuit-relay transport makes a fresh reservation.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'

export interface RelayKeeperInit {
  /** Where the relay is; called before each dial so a moved relay is picked up. */
  addrs: () => Promise<string[]> | string[]
  /** First retry delay; doubles up to `maxRetryMs`. @default 1000 */
  retryMs?: number
  /** @default 5000 */
  maxRetryMs?: number
  onState?: (state: RelayState) => void
}

export type RelayState = 'connecting' | 'connected' | 'disconnected'

/** See the module comment. */
export class RelayKeeper {
  private readonly node: Libp2p
  private readonly init: RelayKeeperInit
  private timer?: ReturnType<typeof setTimeout>
  private delay: number
  private stopped = true
  private state: RelayState = 'disconnected'
  private relayPeers = new Set<string>()

  constructor(node: Libp2p, init: RelayKeeperInit) {
    this.node = node
    this.init = init
    this.delay = init.retryMs ?? 1000
  }

  start(): void {
    this.stopped = false
    this.node.addEventListener('connection:close', this.onClose)
    void this.check()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.node.removeEventListener('connection:close', this.onClose)
  }

  /** True while at least one relay connection is open. */
  isConnected(): boolean {
    return [...this.relayPeers].some((id) => this.openTo(id))
  }

  private readonly onClose = (): void => {
    if (!this.stopped && !this.isConnected()) this.schedule(0)
  }

  private openTo(peerId: string): boolean {
    return this.node.getConnections().some((c) => c.status === 'open' && c.remotePeer.toString() === peerId)
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer)
    if (!this.stopped) this.timer = setTimeout(() => void this.check(), ms)
  }

  private setState(state: RelayState): void {
    if (state === this.state) return
    this.state = state
    this.init.onState?.(state)
  }

  private async check(): Promise<void> {
    if (this.stopped) return
    let addrs: Multiaddr[] = []
    try {
      addrs = (await this.init.addrs()).map((a) => multiaddr(a))
    } catch {
      // The relay's HTTP endpoint is down too; try again later.
    }
    for (const a of addrs) {
      const id = a.getComponents().find((c) => c.name === 'p2p')?.value
      if (id != null) this.relayPeers.add(id)
    }
    if (this.isConnected()) {
      this.setState('connected')
      this.delay = this.init.retryMs ?? 1000
      this.schedule(this.init.maxRetryMs ?? 5000)
      return
    }
    this.setState('connecting')
    for (const addr of addrs) {
      try {
        await this.node.dial(addr, { signal: AbortSignal.timeout(10_000) })
        this.setState('connected')
        this.delay = this.init.retryMs ?? 1000
        this.schedule(this.init.maxRetryMs ?? 5000)
        return
      } catch {
        // Try the next address, then back off.
      }
    }
    this.setState('disconnected')
    this.schedule(this.delay)
    this.delay = Math.min(this.delay * 2, this.init.maxRetryMs ?? 5000)
  }
}
