/**
 * `chorus-mesh relay`: the relay node, the room's archivist (every event stored durably in
 * SQLite, served to any peer by sync), presence, HTTP endpoints and metrics. Its identity, its
 * room and its events live in the data directory, so restarts keep all three. This module only
 * composes the parts; each lives in its own file beside it.
 */
import { join } from 'node:path'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RoomCreated } from '../../core/events/kinds/room'
import type { Signer } from '../../core/events/signer'
import { selectOutcomes } from '../../core/state/selectors'
import { asPeerId } from '../../core/ids'
import { libp2pSigner } from '../../net/keys'
import { PresenceService } from '../../net/presence/service'
import type { RoomInfo } from '../../net/room-info'
import { authorityPresence } from '../../net/presence/members'
import { RoomPeer } from '../../net/room-peer'
import { openSqliteStore, type SqliteEventStore } from '../../storage/sqlite-store'
import { loadOrCreateKey } from '../identity'
import { signFreshInvite, type InviteOptions } from '../invites'
import { loadOrCreateAdminToken } from '../invites/admin-token'
import { logInviteBook, type InviteBook } from '../invites/book'
import { SampledLog, silentLogger } from '../log'
import { OutcomeWebhook } from '../outcomes/webhook'
import { escalationWebhook } from '../escalations/webhook'
import { openServedRoom } from '../room-bootstrap'
import { relayAuthority } from '../relay-mesh/authority'
import { joinRoom } from '../relay-mesh/join'
import { startRelayMesh, type RelayMesh } from '../relay-mesh/service'
import { adminRoutes } from './admin'
import { startRelayHttp } from './http'
import { roomInfo } from './info'
import { relayInstruments, relayMetrics } from './metrics'
import { createRelayNode, type RelayNode } from './node'
import { observeRelay } from './observe'
import { checkAnnounce, readTls, type RelayOptions } from './options'
import { claimDataDir } from './pidfile'
import { reservationGate } from './reservations'
import { relayRoutes } from './routes'

export type { RelayOptions } from './options'

/** The longest a beat waits on this hub for others to share its forward (ms). */
const FORWARD_WINDOW_MAX_MS = 250

export interface Relay {
  node: RelayNode
  peer: RoomPeer
  store: SqliteEventStore
  signer: Signer
  roomCreated: boolean
  /** True when this start pulled the room from other relays into an empty store (`join`). */
  roomJoined: boolean
  /** The other relays of the room. */
  mesh: RelayMesh
  http: Server
  /** Base URL of the HTTP endpoints (the real port when 0 was asked for). */
  httpUrl: string
  info(): RoomInfo
  /** Signs a fresh invite to this room (as its owner, or as an admin naming its join) and records it in the book. */
  invite(o: InviteOptions): Promise<string>
  /** The invites this relay issued, with their uses and status. */
  invites: InviteBook
  /** Drains (`/readyz` 503 for `drainMs`), then closes the listeners, the node and the store. */
  stop(): Promise<void>
}

/** Starts a relay; resolves once its store is loaded and libp2p and HTTP are listening. */
export async function startRelay(opts: RelayOptions): Promise<Relay> {
  const log = opts.log ?? silentLogger
  const announce = checkAnnounce(opts.announce ?? [])
  const tls = readTls(opts.tls)
  const privateKey = await loadOrCreateKey(join(opts.dataDir, 'relay.key'))
  const signer = libp2pSigner(privateKey)
  const release = claimDataDir(opts.dataDir)
  let store: SqliteEventStore
  try {
    store = await openSqliteStore({ dataDir: opts.dataDir })
  } catch (err) {
    release()
    throw err
  }
  const say = opts.onLog ?? ((level: 'info' | 'warn' | 'error', message: string) => log[level]('relay_mesh', { message }))
  // What has started so far, stopped in reverse by stop() and if a later step fails (a port in
  // use): a relay that failed to start must not keep its node listening or its timers running.
  const started: Array<() => unknown> = []
  try {
    const joined = opts.join && opts.join.length > 0 ? await joinRoom({ store, privateKey, signer, targets: opts.join, invite: opts.invite, log: say }) : undefined
    const served = await openServedRoom(store, signer, { name: opts.roomName ?? 'Chorus room', open: opts.open ?? false })
    const genesis = served.genesis.event.payload as RoomCreated
    let peer: RoomPeer | undefined
    const gate = reservationGate({ isMember: (id) => isCurrentMember(peer, id), isBarred: (id) => isTakenBack(peer, id), maxGuests: opts.maxGuestReservations ?? 64 })
    const node = await createRelayNode({ privateKey, room: served.room, host: opts.host, port: opts.port, tcpPort: opts.tcpPort, announce, tls, gater: gate.gater })
    started.push(() => node.stop())
    gate.attach(node)
    const inst = relayInstruments()
    const syncFailures = new SampledLog((reason, f) => log.warn('sync_failed', { reason, ...f }))
    peer = new RoomPeer({
      node,
      room: served.room,
      store,
      signer,
      syncIntervalMs: opts.syncIntervalMs,
      peerLimits: opts.peerLimits,
      onIngest: (source, _n, ms) => inst.ingest.observe({ source }, ms / 1000),
      onRound: (_p, r, ms) => inst.syncRound.observe({ result: r.equal ? 'equal' : 'exchanged' }, ms / 1000),
      onSyncError: (p, err) => syncFailures.hit(err.message, { peer: p }),
    })
    const observed = observeRelay({ node, peer, log })
    started.push(() => observed.stop(), () => peer?.stop())
    await peer.start()
    const presence = new PresenceService(node, {
      signer: peer.signer,
      room: served.room,
      // A beat from every member every interval: the lookup reads the authority index, never the fold.
      members: authorityPresence((id) => peer.host.replica.authority.member(id)),
      self: { name: 'relay', kind: 'relay', role: relayAuthority(peer.host.replica.state, signer.peerId).role, root: peer.host.replica.summary().root },
      intervalMs: opts.presenceIntervalMs,
      // A hub forwards each beat to every subscriber: an eighth of an interval's beats share each write.
      forwardWindowMs: Math.min(FORWARD_WINDOW_MAX_MS, opts.presenceIntervalMs / 8),
    })
    const roomPeer = peer
    const webhookUrl = opts.outcomeWebhook ?? process.env.CHORUS_OUTCOME_WEBHOOK
    const webhook = webhookUrl
      ? new OutcomeWebhook({
          url: webhookUrl,
          room: served.room,
          store,
          state: () => roomPeer.host.replica.state,
          onError: (o, err, attempt) => log.warn('outcome_webhook_failed', { session: o.session, attempt, error: err.message }),
        })
      : null
    const requests = escalationWebhook({ url: opts.escalationWebhook ?? process.env.CHORUS_ESCALATION_WEBHOOK, room: served.room, store, state: () => roomPeer.host.replica.state })
    // The root goes out with each beat; reading it per stored change would summarize per change.
    presence.trackRoot(() => roomPeer.host.replica.summary().root)
    const unsubscribe = peer.host.subscribe(() => {
      gate.kick()
      webhook?.kick()
      requests?.kick()
    })
    presence.start()
    started.push(() => presence.stop(), unsubscribe, () => webhook?.stop(), () => requests?.stop())
    webhook?.kick()
    requests?.kick()
    let draining = false
    const book: InviteBook = logInviteBook({ state: () => roomPeer.host.replica.state, author: (kind, payload) => roomPeer.author(kind, payload) })
    const issue = async (o: InviteOptions) => {
      const { body, text } = await signFreshInvite(served.room, signer, { ...o, ...relayAuthority(roomPeer.host.replica.state, signer.peerId).invite })
      await book.record(body)
      return { id: body.nonce, text }
    }
    let mesh: RelayMesh | undefined
    const info = (): RoomInfo => ({
      ...roomInfo({ room: served.room, genesis, node, peer: roomPeer, presenceIntervalMs: opts.presenceIntervalMs, iceServers: opts.iceServers ?? [] }),
      root: roomPeer.host.replica.summary().root,
      ...(mesh ? { relays: mesh.records() } : {}),
    })
    const http = await startRelayHttp({
      host: opts.host,
      port: opts.httpPort,
      tls,
      corsOrigins: opts.corsOrigins ?? [],
      apiToken: opts.apiToken,
      routes: {
        ...adminRoutes({ adminToken: opts.adminToken ?? loadOrCreateAdminToken(opts.dataDir), book, issue, publicUrl: opts.publicUrl, log }),
        ...relayRoutes({
        roomInfo: info,
        // Ready: libp2p started and the store open (it closes only in stop()), not draining.
        ready: () => node.status === 'started' && !draining,
        metrics: relayMetrics(inst, { node, peer: roomPeer, presence, gate }),
        outcomes: () => selectOutcomes(roomPeer.host.replica.state),
        }),
      },
    })
    started.push(() => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeAllConnections()
      return closed
    })
    const httpUrl = `${tls ? 'https' : 'http'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${(http.address() as AddressInfo).port}`
    mesh = await startRelayMesh({
      node,
      room: served.room,
      store,
      http: httpUrl,
      seed: joined?.records,
      onWrongRoom: (w) => say('error', `relay ${w.relay}${w.via ? ` at ${w.via}` : ''} serves room ${w.room}, but this relay serves room ${w.ours}: not using it`),
    })
    started.push(() => mesh?.stop())
    const relayMesh = mesh
    log.info('relay_started', {
      peer: node.peerId.toString(),
      room: served.room,
      roomCreated: served.created,
      roomJoined: joined?.joinedNow === true,
      events: peer.host.replica.log.size,
      http: httpUrl,
      addrs: info().relay.addrs,
      announce: announce.length ? announce : undefined,
      tls: tls != null,
      iceServers: (opts.iceServers ?? []).length,
      apiToken: opts.apiToken ? 'set' : undefined,
    })
    return {
      node,
      peer,
      store,
      signer,
      roomCreated: served.created,
      roomJoined: joined?.joinedNow === true,
      mesh: relayMesh,
      http,
      httpUrl,
      info,
      invite: async (o) => (await issue(o)).text,
      invites: book,
      async stop() {
        if (draining) return
        draining = true
        const drainMs = opts.drainMs ?? 0
        if (drainMs > 0) {
          log.info('relay_draining', { ms: drainMs })
          await new Promise((r) => setTimeout(r, drainMs))
        }
        log.info('relay_stopping', { connections: node.getConnections().length })
        for (const stop of [...started].reverse()) await stop()
        await store.close()
        release()
        log.info('relay_stopped', { events: roomPeer.host.replica.log.size })
      },
    }
  } catch (err) {
    for (const stop of started.reverse()) await Promise.resolve().then(stop).catch(() => {})
    await store.close()
    release()
    throw err
  }
}

/**
 * A member that has not left and is not revoked or quarantined holds a reservation freely. Read
 * from the authority index: a reservation request must not run the replay the fold owes.
 */
function isCurrentMember(peer: RoomPeer | undefined, id: string): boolean {
  const replica = peer?.host.replica
  if (replica == null) return false
  const m = replica.authority.member(asPeerId(id))
  return m != null && !m.left && !m.revoked && !replica.log.quarantined().has(asPeerId(id))
}

/** A key the room has taken back: revoked, or quarantined for equivocating. */
function isTakenBack(peer: RoomPeer | undefined, id: string): boolean {
  const replica = peer?.host.replica
  if (replica == null) return false
  return replica.authority.member(asPeerId(id))?.revoked === true || replica.log.quarantined().has(asPeerId(id))
}
