/**
 * Keeps a peer connected to `want` relays of its room (tabs and agents: two, so losing one
 * costs nothing; relays: every other relay, so they find and keep each other). It dials the
 * best-ranked reachable relays of its directory, backs off from failing ones, asks every relay
 * it is connected to — and any peer that identify says speaks RELAYS_PROTOCOL — for its list,
 * and so learns relays that appear later without a restart. libp2p does not redial a relay
 * that went away (nor re-reserve a circuit slot after a relay restart, js-libp2p #3601): the
 * pool's own dials bring the connection back, and the circuit-relay transport then reserves.
 *
 * A relay that answers with another room is logged loudly (both room ids) through
 * `onWrongRoom`, disconnected, and left alone for minutes.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, IdentifyResult, Libp2p } from '@libp2p/interface'
import { RelayDirectory, type KnownRelay } from './directory'
import { askRelays, RelaysQueryError } from './protocol'
import { RELAYS_PROTOCOL, type RelayRecord } from './record'

export type RelayState = 'connecting' | 'connected' | 'disconnected'

export interface WrongRoom {
  relay: string
  /** The room the relay serves. */
  room: string
  /** This peer's room. */
  ours: string
  /** Where it was reached (an address or URL). */
  via?: string
}

/** The error line a peer logs for a relay serving another room: both room ids, and what to check. */
export const wrongRoomMessage = (w: WrongRoom): string =>
  `relay ${w.relay}${w.via ? ` at ${w.via}` : ''} serves room ${w.room}, but this peer's room is ${w.ours}; not using it (was the relay restarted with an empty data directory and no --join?)`

export interface RelayPoolInit {
  room: string
  /** Relays known at start (room info, the cache). */
  seed?: RelayRecord[]
  /** Relays to stay connected to (Infinity: all). */
  want: number
  /** Addresses this node's transports can dial. @default anything but circuit and WebRTC addresses */
  dialable?: (addr: string) => boolean
  /** False for peers that must not be used as relays (e.g. members without the relay capability). */
  accept?: (peerId: string) => boolean
  /** The known list changed (to cache it). */
  onChange?: (records: RelayRecord[]) => void
  onState?: (state: RelayState, connected: number) => void
  onWrongRoom?: (w: WrongRoom) => void
  /**
   * Asked for the room and its relays while fewer than `want` relays are connected (e.g.
   * `/api/room` over HTTP): a relay that came back under a new identity is found this way.
   */
  fallback?: () => Promise<{ room: string; records: RelayRecord[]; from?: string }>
  /** Between checks (ms). @default 2000 */
  checkMs?: number
  /** How often a connected relay is asked for its list (ms); every 5 s while fewer than `want` are connected. @default 30000 */
  refreshMs?: number
  dialTimeoutMs?: number
  /** Forget relays neither reached nor listed for this long (ms). @default 10 min */
  forgetMs?: number
}

/** Default dial filter: direct addresses only (no circuit hop, no WebRTC). */
export const directAddr = (a: string): boolean => !a.includes('/p2p-circuit') && !a.includes('/webrtc')
/** What a browser can dial: WebSockets (plain, TLS, behind an HTTP path). */
export const browserDialable = (a: string): boolean => directAddr(a) && /\/(ws|wss|tls\/ws)(\/|$)/.test(a)

/** See the module comment. */
export class RelayPool {
  readonly directory: RelayDirectory
  private readonly node: Libp2p
  private readonly init: RelayPoolInit
  private readonly dialing = new Set<string>()
  private readonly asked = new Map<string, number>()
  private readonly self: string
  private timer?: ReturnType<typeof setTimeout>
  private stopped = true
  private state?: RelayState
  private lastConnected = -1
  private lastFallback = 0

  constructor(node: Libp2p, init: RelayPoolInit) {
    this.node = node
    this.init = init
    this.self = node.peerId.toString()
    this.directory = new RelayDirectory(this.self, init.forgetMs)
    this.directory.learn(init.seed ?? [], Date.now())
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.node.addEventListener('connection:close', this.onClose)
    this.schedule(0)
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.node.removeEventListener('connection:close', this.onClose)
  }

  /** Adds records from elsewhere (a fresh `/api/room`); dials them if needed. */
  learn(records: readonly RelayRecord[]): void {
    if (this.directory.learn(records, Date.now())) {
      this.changed()
      this.schedule(0)
    }
  }

  /** Peer ids of the relays this node holds a direct connection to. */
  connected(): string[] {
    return this.directory
      .all()
      .map((k) => k.record.peerId)
      .filter((id) => this.openConnection(id) != null && this.directory.get(id)?.wrongRoom == null)
  }

  /** The connected relays in this node's order of preference (a hash of both ids: peers spread over the relays). */
  ranked(): string[] {
    return this.connected().sort((a, b) => (this.rank(a) < this.rank(b) ? -1 : 1))
  }

  isConnected(): boolean {
    return this.connected().length > 0
  }

  /** Relays this node reached within `withinMs` (a relay advertises these). */
  recent(withinMs: number): RelayRecord[] {
    const connected = new Set(this.connected())
    return this.directory.recent(Date.now(), withinMs).sort((a, b) => Number(connected.has(b.peerId)) - Number(connected.has(a.peerId)))
  }

  records(): RelayRecord[] {
    return this.directory.records()
  }

  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { peerId, protocols, connection } = evt.detail
    if (this.stopped || connection.limits != null || !protocols.includes(RELAYS_PROTOCOL)) return
    const id = peerId.toString()
    if (Date.now() - (this.asked.get(id) ?? 0) < 1000) return
    void this.ask(connection)
  }

  private readonly onClose = (evt: CustomEvent<Connection>): void => {
    if (!this.stopped && this.directory.has(evt.detail.remotePeer.toString())) this.schedule(0)
  }

  private openConnection(peerId: string): Connection | undefined {
    return this.node.getConnections().find((c) => c.status === 'open' && c.limits == null && c.remotePeer.toString() === peerId)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.check(), ms)
  }

  private setState(connected: number): void {
    const state: RelayState = connected > 0 ? 'connected' : this.dialing.size > 0 ? 'connecting' : 'disconnected'
    if (state === this.state && connected === this.lastConnected) return
    this.state = state
    this.lastConnected = connected
    this.init.onState?.(state, connected)
  }

  private dialableAddrs(k: KnownRelay): string[] {
    const ok = this.init.dialable ?? directAddr
    return k.record.addrs.filter(ok)
  }

  private rank(peerId: string): string {
    return bytesToHex(sha256(utf8ToBytes(`chorus-mesh/relay/1\n${this.self}\n${peerId}`)))
  }

  private async check(): Promise<void> {
    if (this.stopped) return
    const now = Date.now()
    const connected = this.connected()
    if (this.directory.forgetStale(now, (id) => connected.includes(id) || this.dialing.has(id))) this.changed()
    const need = this.init.want - connected.length - this.dialing.size
    if (need > 0) {
      const accept = this.init.accept ?? (() => true)
      const candidates = this.directory
        .all()
        .filter((k) => !connected.includes(k.record.peerId) && !this.dialing.has(k.record.peerId) && k.wrongRoom == null && k.nextDial <= now && accept(k.record.peerId) && this.dialableAddrs(k).length > 0)
        .sort((a, b) => a.failures - b.failures || (this.rank(a.record.peerId) < this.rank(b.record.peerId) ? -1 : 1))
      for (const k of candidates.slice(0, need)) void this.dial(k)
      void this.askFallback(now, connected.length)
    }
    // Short of relays, ask often: a relay that just joined is listed by the others within seconds.
    const refresh = Math.min(this.init.refreshMs ?? 30_000, connected.length < this.init.want ? 5000 : Infinity)
    for (const id of connected) {
      if (now - (this.asked.get(id) ?? 0) < refresh) continue
      const conn = this.openConnection(id)
      if (conn) void this.ask(conn)
    }
    this.setState(connected.length)
    this.schedule(this.init.checkMs ?? 2000)
  }

  /** Every 5 s while no relay is connected, every minute while fewer than wanted are. */
  private async askFallback(now: number, connected: number): Promise<void> {
    if (!this.init.fallback || now - this.lastFallback < (connected === 0 ? 5000 : 60_000)) return
    this.lastFallback = now
    try {
      const { room, records, from } = await this.init.fallback()
      if (room === this.init.room) return this.learn(records)
      const relay = records[0]?.peerId ?? 'unknown'
      if (this.directory.get(relay)?.wrongRoom === room) return
      this.directory.learn(records.slice(0, 1), now)
      this.directory.wrongRoom(relay, room, now)
      this.init.onWrongRoom?.({ relay, room, ours: this.init.room, via: from })
    } catch {
      // Nothing answers over HTTP either; the known relays are tried again after their backoff.
    }
  }

  private async dial(k: KnownRelay): Promise<void> {
    const id = k.record.peerId
    this.dialing.add(id)
    this.setState(this.connected().length)
    try {
      const addrs = this.dialableAddrs(k).map((a) => multiaddr(a))
      const conn = await this.node.dial(addrs, { signal: AbortSignal.timeout(this.init.dialTimeoutMs ?? 10_000) })
      this.directory.reached(id, Date.now())
      await this.ask(conn)
    } catch {
      this.directory.failed(id, Date.now())
    } finally {
      this.dialing.delete(id)
      this.schedule(0)
    }
  }

  private async ask(conn: Connection): Promise<void> {
    const id = conn.remotePeer.toString()
    this.asked.set(id, Date.now())
    try {
      const answer = await askRelays(conn)
      if (answer.room !== this.init.room) {
        this.directory.learn([{ peerId: id, addrs: [conn.remoteAddr.toString()] }], Date.now())
        this.directory.wrongRoom(id, answer.room, Date.now())
        this.init.onWrongRoom?.({ relay: id, room: answer.room, ours: this.init.room, via: conn.remoteAddr.toString() })
        await conn.close().catch(() => undefined)
        return
      }
      const now = Date.now()
      const selfRecord = answer.relays.find((r) => r.peerId === id)
      let changed = selfRecord ? this.directory.confirm(selfRecord, now) : false
      changed = this.directory.learn(answer.relays.filter((r) => r.peerId !== id), now) || changed
      if (changed) this.changed()
    } catch (err) {
      // A relay of an earlier version does not speak the protocol: it stays usable, just mute.
      if (err instanceof RelaysQueryError && err.reason === 'unsupported') this.directory.reached(id, Date.now())
    }
  }

  private changed(): void {
    this.init.onChange?.(this.records())
  }
}
