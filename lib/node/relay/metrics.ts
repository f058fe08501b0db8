/**
 * The relay's Prometheus metrics (prom-client). Counters and gauges are read from live state at
 * scrape time; the two latency histograms (ingest, sync round) are fed as things happen.
 * Every series ending in `_total` is a counter, as Prometheus's naming rules demand
 * (`promtool check metrics`).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { processGuardCounts } from '../process-guard'
import { sentMessages } from '../../net/ws-messages'
import type { PresenceService } from '../../net/presence/service'
import type { RoomPeer } from '../../net/room-peer'
import type { RelayNode } from './node'
import type { ReservationGate } from './reservations'

/** prom-client's defaults that are gauges named `_total` (they fail `promtool check metrics`). */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']

export interface RelayInstruments {
  registry: Registry
  /** Seconds to verify, store and fold one batch of received events. */
  ingest: Histogram<'source'>
  /** Seconds per completed anti-entropy round. */
  syncRound: Histogram<'result'>
}

/** A registry with process metrics, build info and the latency histograms. */
export function relayInstruments(): RelayInstruments {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name)
  new Gauge({ name: 'chorus_build_info', help: 'Build of this relay (always 1)', labelNames: ['version', 'nodejs'], registers: [registry] })
    .set({ version: packageVersion(), nodejs: process.versions.node }, 1)
  const ingest = new Histogram({
    name: 'chorus_ingest_seconds',
    help: 'Time to verify, store durably and fold one batch of received events',
    labelNames: ['source'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const syncRound = new Histogram({
    name: 'chorus_sync_round_seconds',
    help: 'Duration of completed anti-entropy rounds',
    labelNames: ['result'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  return { registry, ingest, syncRound }
}

export interface RelayCollectors {
  node: RelayNode
  peer: RoomPeer
  presence: PresenceService
  gate: ReservationGate
}

/** Adds the gauges and counters read from live state at scrape time; returns the registry. */
export function relayMetrics(inst: RelayInstruments, s: RelayCollectors): Registry {
  const registry = inst.registry
  const gauge = (name: string, help: string, collect: (this: Gauge) => void, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect })
  // A counter whose value lives elsewhere (a stats object): set to that value at scrape time.
  const counter = (name: string, help: string, values: () => Array<[Record<string, string>, number]>, labelNames: string[] = []) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect(this: Counter) {
        this.reset()
        for (const [labels, n] of values()) if (n > 0) this.inc(labels, n)
      },
    })
  const { node, peer, presence } = s
  gauge('chorus_peers_connected', 'Peers with an open libp2p connection to this relay', function () {
    this.set(node.getPeers().length)
  })
  gauge('chorus_relay_reservations', 'Circuit-relay reservations held on this relay, by holder', function () {
    const all = node.services.relay.reservations.size
    const guests = s.gate.guests()
    this.set({ holder: 'member' }, all - guests)
    this.set({ holder: 'guest' }, guests)
  }, ['holder'])
  counter('chorus_relay_reservations_denied_total', 'Reservations refused to guests over the guest bound', () => [[{}, s.gate.denied]])
  gauge('chorus_presence_peers', 'Room members known from presence heartbeats, by status', function () {
    this.reset()
    for (const p of presence.snapshot().peers) this.inc({ status: p.status })
  }, ['status'])
  counter('chorus_presence_beats_total', 'Presence beats received, by outcome: verified (signature checked), skipped (replay or over budget, not checked), not_member, forged', () => [
    [{ outcome: 'verified' }, presence.verifiedBeats],
    [{ outcome: 'skipped' }, presence.skippedBeats],
    [{ outcome: 'not_member' }, presence.droppedBeats],
    [{ outcome: 'forged' }, presence.forgedBeats],
  ], ['outcome'])
  counter('chorus_websocket_messages_sent_total', 'WebSocket messages sent by this process (each one socket write)', () => [[{}, sentMessages.count]])
  gauge('chorus_events_stored', 'Events of the room held by this relay', function () {
    this.set(peer.host.replica.log.size)
  })
  gauge('chorus_events_pending', 'Events waiting for referenced events', function () {
    this.set(peer.host.replica.log.pendingCount)
  })
  counter('chorus_events_total', 'Events offered to the log since start, by outcome (accepted, duplicate, pending, or the rejection reason)',
    () => Object.entries(peer.host.replica.log.stats()).map(([outcome, n]) => [{ outcome }, n]), ['outcome'])
  const sync = peer.sync.stats
  counter('chorus_sync_rounds_total', 'Anti-entropy rounds, by result', () => [
    [{ result: 'equal' }, sync.equalRounds],
    [{ result: 'exchanged' }, sync.rounds - sync.equalRounds],
    [{ result: 'failed' }, sync.failedRounds],
    [{ result: 'refused' }, sync.refusedRounds],
  ], ['result'])
  counter('chorus_sync_bytes_total', 'Bytes exchanged by anti-entropy, by direction', () => [
    [{ direction: 'sent' }, sync.bytesSent],
    [{ direction: 'received' }, sync.bytesReceived],
  ], ['direction'])
  counter('chorus_sync_events_total', 'Events exchanged by anti-entropy, by direction', () => [
    [{ direction: 'sent' }, sync.eventsSent],
    [{ direction: 'received' }, sync.eventsReceived],
    [{ direction: 'added' }, sync.eventsAdded],
  ], ['direction'])
  counter('chorus_process_errors_total', 'Errors nobody handled that the process guard caught and logged while the relay kept serving, by kind',
    () => Object.entries(processGuardCounts()).map(([kind, n]) => [{ kind }, n]), ['kind'])
  counter('chorus_gossip_publish_errors_total', 'Gossip publishes that failed (sync repairs them)', () => [[{}, peer.gossip.publishErrors]])
  return registry
}

let version: string | undefined
function packageVersion(): string {
  if (version == null) {
    try {
      version = (JSON.parse(readFileSync(resolve(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version
    } catch {
      version = 'unknown'
    }
  }
  return version
}
