/**
 * `chorus-mesh relay`: the relay node, the room's archivist (every event stored durably in
 * SQLite, served to any peer by sync), presence, HTTP endpoints and metrics. Its identity, its
 * room and its events live in the data directory, so restarts keep all three.
 */
import { join } from 'node:path'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RoomCreated } from '../../core/events/kinds/room'
import type { Signer } from '../../core/events/signer'
import { libp2pSigner } from '../../net/keys'
import { PresenceService } from '../../net/presence/service'
import type { PeerLimits } from '../../net/rate-limit'
import { RoomPeer } from '../../net/room-peer'
import { openSqliteStore, type SqliteEventStore } from '../../storage/sqlite-store'
import { loadOrCreateKey } from '../identity'
import { issueInvite, type InviteOptions } from '../invites'
import { openServedRoom } from '../room-bootstrap'
import type { RoomInfo } from '../../net/room-info'
import { outcomesNdjson } from '../../core/state/selectors'
import { OutcomeWebhook } from '../outcomes/webhook'
import { escalationWebhook } from '../escalations/webhook'
import { startRelayHttp } from './http'
import { relayMetrics } from './metrics'
import { createRelayNode, type RelayNode } from './node'

export interface RelayOptions {
  dataDir: string
  host: string
  /** libp2p WebSockets port. */
  port: number
  httpPort: number
  tcpPort?: number
  presenceIntervalMs: number
  syncIntervalMs?: number
  announce?: string[]
  /** Used only when the room is created (first run). */
  roomName?: string
  /** Used only when the room is created: an open room admits anyone as a reviewer. */
  open?: boolean
  /** Per-peer gossip budget (events and bytes per second). */
  peerLimits?: PeerLimits
  /** POST each finished session's outcome here once. @default env CHORUS_OUTCOME_WEBHOOK */
  outcomeWebhook?: string
  /** POST each new escalation or approval request here once. @default env CHORUS_ESCALATION_WEBHOOK */
  escalationWebhook?: string
}

export interface Relay {
  node: RelayNode
  peer: RoomPeer
  store: SqliteEventStore
  signer: Signer
  roomCreated: boolean
  http: Server
  /** Base URL of the HTTP endpoints (the real port when 0 was asked for). */
  httpUrl: string
  info(): RoomInfo
  /** Signs a fresh invite to this room as its owner. */
  invite(o: InviteOptions): Promise<string>
  stop(): Promise<void>
}

/** Starts a relay; resolves once its store is loaded and libp2p and HTTP are listening. */
export async function startRelay(opts: RelayOptions): Promise<Relay> {
  const privateKey = await loadOrCreateKey(join(opts.dataDir, 'relay.key'))
  const signer = libp2pSigner(privateKey)
  const store = await openSqliteStore({ dataDir: opts.dataDir })
  try {
    const served = await openServedRoom(store, signer, { name: opts.roomName ?? 'Chorus room', open: opts.open ?? false })
    const genesis = served.genesis.event.payload as RoomCreated
    const node = await createRelayNode({
      privateKey,
      room: served.room,
      host: opts.host,
      port: opts.port,
      tcpPort: opts.tcpPort,
      announce: opts.announce,
    })
    const peer = new RoomPeer({ node, room: served.room, store, signer, syncIntervalMs: opts.syncIntervalMs, peerLimits: opts.peerLimits })
    await peer.start()
    const presence = new PresenceService(node, {
      room: served.room,
      self: { name: 'relay', kind: 'relay', role: 'owner', root: peer.host.replica.summary().root },
      intervalMs: opts.presenceIntervalMs,
    })
    const webhookUrl = opts.outcomeWebhook ?? process.env.CHORUS_OUTCOME_WEBHOOK
    const webhook = webhookUrl
      ? new OutcomeWebhook({
          url: webhookUrl,
          room: served.room,
          store,
          state: () => peer.host.replica.state,
          onError: (o, err, attempt) => console.warn(`outcome webhook: ${o.session} attempt ${attempt} failed: ${err.message}`),
        })
      : null
    const requests = escalationWebhook({ url: opts.escalationWebhook ?? process.env.CHORUS_ESCALATION_WEBHOOK, room: served.room, store, state: () => peer.host.replica.state })
    const unsubscribe = peer.host.subscribe(() => {
      presence.setRoot(peer.host.replica.summary().root)
      webhook?.kick()
      requests?.kick()
    })
    presence.start()
    webhook?.kick()
    requests?.kick()

    // /readyz: libp2p started and the store open (it closes only in stop()).
    let stopping = false
    const info = (): RoomInfo => ({
      room: served.room,
      name: genesis.name,
      open: genesis.open,
      relay: {
        peerId: node.peerId.toString(),
        addrs: node.getMultiaddrs().map((a) => a.toString()).filter((a) => a.includes('/ws')),
      },
      presenceIntervalMs: opts.presenceIntervalMs,
      events: peer.host.replica.log.size,
    })
    const http = await startRelayHttp({
      host: opts.host,
      port: opts.httpPort,
      roomInfo: info,
      ready: () => node.status === 'started' && !stopping,
      metrics: relayMetrics(node, peer, presence),
      outcomes: () => outcomesNdjson(peer.host.replica.state),
    })

    return {
      node,
      peer,
      store,
      signer,
      roomCreated: served.created,
      http,
      httpUrl: `http://${opts.host}:${(http.address() as AddressInfo).port}`,
      info,
      invite: (o) => issueInvite(served.room, signer, o),
      async stop() {
        stopping = true
        unsubscribe()
        webhook?.stop()
        requests?.stop()
        await presence.stop()
        const closed = new Promise<void>((resolve) => http.close(() => resolve()))
        http.closeAllConnections()
        await closed
        await peer.stop()
        await node.stop()
        await store.close()
      },
    }
  } catch (err) {
    await store.close()
    throw err
  }
}
