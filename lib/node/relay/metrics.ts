/** The relay's Prometheus metrics (prom-client), read from live state at scrape time. */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { PresenceService } from '../../net/presence/service'
import type { RoomPeer } from '../../net/room-peer'
import type { RelayNode } from './node'

/** A registry with process metrics and the relay's own gauges. */
export function relayMetrics(node: RelayNode, peer: RoomPeer, presence: PresenceService): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const g = (name: string, help: string, collect: (this: Gauge) => void, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect })
  g('chorus_peers_connected', 'Peers with an open libp2p connection to this relay', function () {
    this.set(node.getPeers().length)
  })
  g('chorus_relay_reservations', 'Circuit-relay reservations held by peers on this relay', function () {
    this.set(node.services.relay.reservations.size)
  })
  g('chorus_presence_peers', 'Room members known from presence heartbeats, by status', function () {
    this.reset()
    for (const p of presence.snapshot().peers) this.inc({ status: p.status })
  }, ['status'])
  g('chorus_events_stored', 'Events of the room held by this relay', function () {
    this.set(peer.host.replica.log.size)
  })
  g('chorus_events_pending', 'Events waiting for referenced events', function () {
    this.set(peer.host.replica.log.pendingCount)
  })
  g('chorus_events_total', 'Events offered to the log since start, by outcome (accepted, duplicate, pending, or the rejection reason)', function () {
    this.reset()
    for (const [outcome, n] of Object.entries(peer.host.replica.log.stats())) this.set({ outcome }, n)
  }, ['outcome'])
  const sync = peer.sync.stats
  g('chorus_sync_rounds_total', 'Anti-entropy rounds, by result', function () {
    this.set({ result: 'equal' }, sync.equalRounds)
    this.set({ result: 'exchanged' }, sync.rounds - sync.equalRounds)
    this.set({ result: 'failed' }, sync.failedRounds)
  }, ['result'])
  g('chorus_sync_bytes_total', 'Bytes exchanged by anti-entropy, by direction', function () {
    this.set({ direction: 'sent' }, sync.bytesSent)
    this.set({ direction: 'received' }, sync.bytesReceived)
  }, ['direction'])
  g('chorus_sync_events_total', 'Events exchanged by anti-entropy, by direction', function () {
    this.set({ direction: 'sent' }, sync.eventsSent)
    this.set({ direction: 'received' }, sync.eventsReceived)
    this.set({ direction: 'added' }, sync.eventsAdded)
  }, ['direction'])
  g('chorus_gossip_publish_errors_total', 'Gossip publishes that failed (sync repairs them)', function () {
    this.set(peer.gossip.publishErrors)
  })
  return registry
}
