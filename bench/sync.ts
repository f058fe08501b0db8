/**
 * Catch-up and anti-entropy over the real sync protocol (`initiateRound` /
 * `respondRound`, real codec) on an in-memory channel that counts bytes, between two
 * ReplicaHosts wired exactly as RoomPeer wires them. Times are CPU ms of this process (both
 * peers run in it), next to a baseline measured in the same run.
 */
import { decodeEvent } from '../lib/core/events/codec'
import type { Signer } from '../lib/core/events/signer'
import type { RoomId } from '../lib/core/ids'
import { libp2pVerifier } from '../lib/net/keys'
import { ReplicaHost } from '../lib/net/replica-host'
import { memoryChannelPair } from '../lib/net/sync/channel'
import { initiateRound, respondRound, type RoundResult, type SyncReplica } from '../lib/net/sync/round'
import { createMemoryStore } from '../lib/storage/memory-store'
import { libp2pRound } from './libp2p-sync'
import { buildRoom, cpuMs, loadRoom, round } from './room'
import type { BenchOptions, BenchResult } from './types'

/** A fresh host with a memory store. */
export const memHost = (room: string): ReplicaHost => new ReplicaHost({ room: room as RoomId, store: createMemoryStore(), verifier: libp2pVerifier() })

/** The SyncReplica RoomPeer builds around its host (lib/net/room-peer.ts). */
export function syncReplica(host: ReplicaHost): SyncReplica {
  return {
    room: host.room,
    summary: () => host.replica.summary(),
    missingFrom: (remote) =>
      host.replica
        .missingFrom(remote)
        .sort((a, b) => a.event.lamport - b.event.lamport || (a.id < b.id ? -1 : 1))
        .map((e) => e.bytes),
    ingest: async (events) => (await host.ingest(events)).filter((r) => r.status === 'accepted').length,
  }
}

/** One round between `a` (initiator) and `b`; both results. */
export async function syncRound(a: ReplicaHost, b: ReplicaHost): Promise<[RoundResult, RoundResult]> {
  const [ca, cb] = memoryChannelPair()
  const res = await Promise.all([initiateRound(ca, syncReplica(a)), respondRound(cb, syncReplica(b))])
  await ca.close()
  return res
}

async function loaded(room: string, events: Uint8Array[]): Promise<ReplicaHost> {
  const h = memHost(room)
  for (let i = 0; i < events.length; i += 256) await h.ingest(events.slice(i, i + 256))
  return h
}

async function catchUp(quick: boolean): Promise<BenchResult[]> {
  const r = await loadRoom(quick ? 1000 : 50_000)
  // Baseline 1: the same bytes copied and verified (decode + signature), no protocol, no state.
  const verifier = libp2pVerifier()
  let c = cpuMs()
  for (const bytes of r.events) {
    const d = decodeEvent(bytes.slice())
    if (!d.ok || !(await verifier.verify(d.value.event.author, d.signing, d.value.event.sig))) throw new Error('bad event')
  }
  const verifyCpu = cpuMs() - c
  // Baseline 2: the same bytes handed to a fresh host's ingest directly (no summary, no
  // framing); that host is then the up-to-date peer the new one syncs from.
  c = cpuMs()
  const full = await loaded(r.room, r.events.map((b) => b.slice()))
  const ingestCpu = cpuMs() - c
  // The protocol: a new peer that knows only the room id runs one round against the full peer.
  const fresh = memHost(r.room)
  c = cpuMs()
  const t = performance.now()
  const [mine, theirs] = await syncRound(fresh, full)
  const syncCpu = cpuMs() - c
  const wall = performance.now() - t
  if (fresh.replica.summary().root !== full.replica.summary().root) throw new Error('catch-up did not converge')
  const wire = mine.bytesSent + mine.bytesReceived
  const n = r.events.length
  const tag = quick ? '1k' : '50k'
  // The same catch-up over a real libp2p connection on loopback (TCP + noise + yamux).
  const overLibp2p = memHost(r.room)
  c = cpuMs()
  const t2 = performance.now()
  let failure = ''
  let frames = 0
  try {
    const viaLibp2p = await libp2pRound(syncReplica(overLibp2p), syncReplica(full))
    frames = viaLibp2p.bytesSent + viaLibp2p.bytesReceived
  } catch (err) {
    failure = (err as Error).message
  }
  const libp2pCpu = cpuMs() - c
  const libp2pWall = performance.now() - t2
  const got = overLibp2p.replica.log.size
  return [
    {
      name: `catchup.${tag}.cpu`,
      value: round(syncCpu, 0),
      unit: 'ms CPU',
      baseline: { name: 'copy + decode + verify the same events, no protocol', value: round(verifyCpu, 0), unit: 'ms CPU' },
      ratio: round(syncCpu / verifyCpu, 2),
      goal: '≤ 3× (ratio = sync / baseline, lower is better)',
      met: syncCpu / verifyCpu <= 3,
      note: `one round, ${mine.added} events added (${theirs.sent} sent); wall ${round(wall, 0)} ms; vs direct ReplicaHost.ingest of the same events ${round(ingestCpu, 0)} ms CPU (${round(syncCpu / ingestCpu, 2)}×: the protocol's own cost)`,
    },
    {
      name: `catchup.${tag}.wire`,
      value: wire,
      unit: 'B',
      baseline: { name: 'event bytes', value: r.bytes, unit: 'B' },
      ratio: round(wire / r.bytes, 3),
      goal: '≤ 3× event bytes',
      met: wire / r.bytes <= 3,
      note: `${n} events, ${round(r.bytes / n, 0)} B each; both directions of one round, dag-cbor frames of ≤ 256 events`,
    },
    {
      name: `catchup.${tag}.libp2p.events-per-round`,
      value: got,
      unit: 'events',
      baseline: { name: 'events in the room', value: n, unit: 'events' },
      ratio: round(got / n, 3),
      goal: 'one round brings the whole room',
      met: got === n && failure === '',
      note: `the same round over a real libp2p connection on 127.0.0.1 (TCP, noise, yamux, streamChannel); ${failure ? `the round failed: "${failure}" — ` : `sync frames ${frames} B, `}${round(libp2pCpu, 0)} ms CPU (${round(libp2pCpu / verifyCpu, 2)}× the copy + decode + verify baseline), wall ${round(libp2pWall, 0)} ms`,
    },
  ]
}

async function author(host: ReplicaHost, who: Signer, i: number): Promise<Uint8Array> {
  const enc = await host.author(who, 'task.claimed', { taskId: `heal-${who.peerId.slice(-6)}-${i}`, projectId: 'p-heal', repository: 'github.com/acme/heal', title: `Implement heal endpoint ${i}`, description: 'written during a partition' })
  return enc.bytes
}

async function heal(quick: boolean): Promise<BenchResult[]> {
  const base = await buildRoom(quick ? 300 : 2000, 8, 7)
  const a = await loaded(base.room, base.events)
  const b = await loaded(base.room, base.events)
  const k = quick ? 20 : 200
  const written: Uint8Array[] = []
  // The partition: two members write on side A, two others on side B.
  for (let i = 0; i < k; i++) {
    written.push(await author(a, base.members[i % 2], i))
    written.push(await author(b, base.members[2 + (i % 2)], i))
  }
  const missing = written.reduce((s, x) => s + x.byteLength, 0)
  let rounds = 0
  let bytes = 0
  for (; rounds < 5; ) {
    const [ra] = await syncRound(a, b)
    if (ra.equal) break
    rounds++
    bytes += ra.bytesSent + ra.bytesReceived
  }
  const converged = a.replica.summary().root === b.replica.summary().root && a.replica.digest() === b.replica.digest()
  return [
    {
      name: 'heal.rounds',
      value: rounds,
      unit: 'rounds',
      goal: '≤ 2 rounds',
      met: converged && rounds <= 2,
      note: `${base.events.length} shared events, then ${k} events written on each side of a partition (2 authors per side); rounds with an exchange until a round ends on equal roots (that confirming round is not counted); converged: ${converged}`,
    },
    {
      name: 'heal.bytes',
      value: bytes,
      unit: 'B',
      baseline: { name: "missing events' bytes (both directions)", value: missing, unit: 'B' },
      ratio: round(bytes / missing, 3),
      goal: "≤ 1.5× the missing events' bytes",
      met: bytes / missing <= 1.5,
      note: 'both directions, summaries included',
    },
  ]
}

/** Runs catch-up and heal. */
export async function benchSync({ quick }: BenchOptions): Promise<BenchResult[]> {
  return [...(await catchUp(quick)), ...(await heal(quick))]
}
