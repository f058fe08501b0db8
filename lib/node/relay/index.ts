/**
 * `chorus-mesh relay`: the relay node, its HTTP endpoints, presence and metrics, with a clean
 * shutdown. Its identity and room live in the data directory, so restarts keep both.
 */
import { join } from 'node:path'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { PresenceService } from '../../net/presence/service'
import { loadOrCreateKey } from '../identity'
import { loadOrCreateRoom, type RoomFile } from '../room-file'
import { startRelayHttp, type RoomInfo } from './http'
import { createRelayNode, type RelayNode } from './node'

export interface RelayOptions {
  dataDir: string
  host: string
  /** libp2p WebSockets port. */
  port: number
  httpPort: number
  tcpPort?: number
  presenceIntervalMs: number
  announce?: string[]
}

export interface Relay {
  node: RelayNode
  room: RoomFile
  roomCreated: boolean
  http: Server
  /** Base URL of the HTTP endpoints (the real port when 0 was asked for). */
  httpUrl: string
  info(): RoomInfo
  stop(): Promise<void>
}

/** Starts a relay; resolves once libp2p and HTTP are both listening. */
export async function startRelay(opts: RelayOptions): Promise<Relay> {
  const privateKey = await loadOrCreateKey(join(opts.dataDir, 'relay.key'))
  const { room, created } = loadOrCreateRoom(opts.dataDir)
  const node = await createRelayNode({
    privateKey,
    room: room.id,
    host: opts.host,
    port: opts.port,
    tcpPort: opts.tcpPort,
    announce: opts.announce,
  })
  const presence = new PresenceService(node, {
    room: room.id,
    self: { name: 'relay', kind: 'relay', role: 'relay' },
    intervalMs: opts.presenceIntervalMs,
  })
  presence.start()

  const metrics = new Registry()
  collectDefaultMetrics({ register: metrics })
  new Gauge({
    name: 'chorus_peers_connected',
    help: 'Peers with an open libp2p connection to this relay',
    registers: [metrics],
    collect() {
      this.set(node.getPeers().length)
    },
  })
  new Gauge({
    name: 'chorus_relay_reservations',
    help: 'Circuit-relay reservations held by peers on this relay',
    registers: [metrics],
    collect() {
      this.set(node.services.relay.reservations.size)
    },
  })
  new Gauge({
    name: 'chorus_presence_peers',
    help: 'Room members known from presence heartbeats, by status',
    labelNames: ['status'],
    registers: [metrics],
    collect() {
      this.reset()
      for (const p of presence.snapshot().peers) this.inc({ status: p.status })
    },
  })

  const info = (): RoomInfo => ({
    room: room.id,
    name: room.name,
    relay: {
      peerId: node.peerId.toString(),
      addrs: node.getMultiaddrs().map((a) => a.toString()).filter((a) => a.includes('/ws')),
    },
    presenceIntervalMs: opts.presenceIntervalMs,
  })
  const http = await startRelayHttp({
    host: opts.host,
    port: opts.httpPort,
    roomInfo: info,
    ready: () => node.status === 'started',
    metrics,
  })

  return {
    node,
    room,
    roomCreated: created,
    http,
    httpUrl: `http://${opts.host}:${(http.address() as AddressInfo).port}`,
    info,
    async stop() {
      await presence.stop()
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeAllConnections()
      await closed
      await node.stop()
    },
  }
}
