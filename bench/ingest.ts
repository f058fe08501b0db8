/**
 * Ingest rate: decode + verify + fold + store per second through the one ingest
 * path (ReplicaHost.ingest, sync-sized batches) with the memory and the SQLite store, against
 * raw Ed25519 verifies per second (node:crypto, each key imported once) of the same events,
 * measured interleaved in the same process; libp2p's `PublicKey.verify` (which imports the key
 * on every call: the baseline before the verifier cached keys) is measured beside it for the
 * notes. Rates are per CPU second (the machine is shared); wall rates are in the note.
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeEvent } from '../lib/core/events/codec'
import type { RoomId } from '../lib/core/ids'
import { EventLog } from '../lib/core/log/log'
import { Replica } from '../lib/core/state/replica'
import { libp2pVerifier, nativeSha256 } from '../lib/net/keys'
import { ReplicaHost } from '../lib/net/replica-host'
import type { EventStore } from '../lib/storage/event-store'
import { createMemoryStore } from '../lib/storage/memory-store'
import { openSqliteStore } from '../lib/storage/sqlite-store'
import { cpuMs, loadRoom, round, type RoomEvents } from './room'
import type { BenchOptions, BenchResult } from './types'

interface Sample {
  cpu: number
  wall: number
}

async function timed(fn: () => Promise<void>): Promise<Sample> {
  const c = cpuMs()
  const t = performance.now()
  await fn()
  return { cpu: cpuMs() - c, wall: performance.now() - t }
}

async function decodeAll(r: RoomEvents): Promise<void> {
  for (const bytes of r.events) {
    const d = decodeEvent(bytes)
    if (!d.ok) throw new Error('bad event')
    void d
  }
}

/** Pre-decoded (signing bytes, sig, key) so that the baseline is the verify alone. */
function verifyInputs(r: RoomEvents) {
  const imported = new Map<string, KeyObject>()
  return r.events.map((bytes) => {
    const d = decodeEvent(bytes)
    if (!d.ok) throw new Error('bad event')
    const key = peerIdFromString(d.value.event.author).publicKey
    if (!key) throw new Error('no key')
    let node = imported.get(d.value.event.author)
    if (!node) imported.set(d.value.event.author, (node = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.raw).toString('base64url') }, format: 'jwk' })))
    return { key, node, signing: d.signing, sig: d.value.event.sig }
  })
}

async function hostIngest(r: RoomEvents, store: EventStore): Promise<void> {
  // As RoomPeer builds it in Node (lib/net/room-peer.ts): node:crypto's sha256 for the ids.
  const host = new ReplicaHost({ room: r.room as RoomId, store, verifier: libp2pVerifier(), sha256: nativeSha256() })
  for (let i = 0; i < r.events.length; i += 256) {
    const res = await host.ingest(r.events.slice(i, i + 256))
    if (res.some((x) => x.status !== 'accepted')) throw new Error(`not added: ${JSON.stringify(res.find((x) => x.status !== 'accepted'))}`)
  }
  host.close()
}

let lastReplica: Replica | undefined

async function replicaOnly(r: RoomEvents, native = false): Promise<void> {
  const replica = new Replica({ room: r.room as RoomId, verifier: libp2pVerifier(), ...(native ? { sha256: nativeSha256() } : {}) })
  for (const bytes of r.events) await replica.add(bytes)
  lastReplica = replica
}

/** Replica.add with the sync summary's root read after every event, as a tab's report to its views does. */
async function replicaSummary(r: RoomEvents): Promise<void> {
  const replica = new Replica({ room: r.room as RoomId, verifier: libp2pVerifier(), sha256: nativeSha256() })
  for (const bytes of r.events) {
    await replica.add(bytes)
    void replica.summary().root
  }
}

/** The log alone (decode + verify + admission), no fold: splits Replica.add into log and fold. */
async function logOnly(r: RoomEvents): Promise<void> {
  // Ids hashed as the hosts hash them, so the ceiling built from this row compares like with like.
  const log = new EventLog({ room: r.room as RoomId, verifier: libp2pVerifier(), sha256: nativeSha256() })
  for (const bytes of r.events) await log.add(bytes)
}

/** Offers every event again to a replica that holds them all: the cost of a gossip duplicate. */
async function duplicates(r: RoomEvents): Promise<void> {
  if (!lastReplica) throw new Error('no replica')
  for (const bytes of r.events) if ((await lastReplica.add(bytes)).status !== 'duplicate') throw new Error('not a duplicate')
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Runs the ingest benchmarks. */
export async function benchIngest({ quick }: BenchOptions): Promise<BenchResult[]> {
  const r = await loadRoom(quick ? 1000 : 5000)
  const n = r.events.length
  const inputs = verifyInputs(r)
  const dir = await mkdtemp(join(tmpdir(), 'chorus-bench-ingest-'))
  const s: Record<string, Sample[]> = { verify: [], libp2p: [], decode: [], log: [], replica: [], replicaNative: [], replicaSummary: [], duplicate: [], memory: [], sqlite: [], sqliteNormal: [] }
  try {
    for (let rep = 0; rep < (quick ? 1 : 5); rep++) {
      s.verify.push(
        await timed(async () => {
          for (const x of inputs) if (!nodeVerify(null, x.signing, x.node, x.sig)) throw new Error('bad signature')
        }),
      )
      s.libp2p.push(
        await timed(async () => {
          for (const x of inputs) if (!(await x.key.verify(x.signing, x.sig))) throw new Error('bad signature')
        }),
      )
      s.decode.push(await timed(() => decodeAll(r)))
      s.log.push(await timed(() => logOnly(r)))
      s.replicaNative.push(await timed(() => replicaOnly(r, true)))
      s.replica.push(await timed(() => replicaOnly(r)))
      s.replicaSummary.push(await timed(() => replicaSummary(r)))
      s.duplicate.push(await timed(() => duplicates(r)))
      s.memory.push(await timed(() => hostIngest(r, createMemoryStore())))
      for (const sync of ['FULL', 'NORMAL'] as const) {
        const store = await openSqliteStore({ dataDir: dir, fileName: `r${rep}-${sync}.sqlite`, synchronous: sync })
        const sample = await timed(() => hostIngest(r, store))
        await store.close()
        ;(sync === 'FULL' ? s.sqlite : s.sqliteNormal).push(sample)
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  const rate = (k: string, field: keyof Sample = 'cpu') => n / (median(s[k].map((x) => x[field])) / 1000)
  const verify = { name: 'raw Ed25519 verify (node:crypto, key imported once), same events', value: round(rate('verify'), 0), unit: 'events/CPU s' }
  const fig = (name: string, k: string, note: string, goal = true): BenchResult => {
    const ratio = round(rate(k) / rate('verify'), 2)
    return {
      name,
      value: round(rate(k), 0),
      unit: 'events/CPU s',
      baseline: verify,
      ratio,
      ...(goal ? { goal: '≥ 0.6 of raw verify', met: ratio >= 0.6 } : {}),
      note: `${note}; wall ${round(rate(k, 'wall'), 0)}/s vs verify wall ${round(rate('verify', 'wall'), 0)}/s; ${round(rate(k) / rate('libp2p'), 2)}× libp2p PublicKey.verify (${round(rate('libp2p'), 0)}/CPU s, imports the key per call); ${n} events of ${round(r.bytes / n, 0)} B, median of ${s[k].length} interleaved reps`,
    }
  }
  // What the goal leaves once the events are decoded, verified and stored: the fold and the host free.
  const store = Math.max(0, 1 / rate('sqlite') - 1 / rate('memory'))
  const ceiling = 1 / (1 / rate('log') + store)
  const bound = `ceiling with the fold and the host free: EventLog.add (decode + verify + admission, ${round(rate('log'), 0)}/CPU s) + the SQLite store's own cost (this row's CPU per event − the memory host's: ${round(store * 1e6, 0)} µs) = ${round(ceiling, 0)}/CPU s, ${round(ceiling / rate('verify'), 2)}× raw verify`
  return [
    fig('ingest.node.sqlite', 'sqlite', `ReplicaHost.ingest in 256-event batches, SQLite synchronous=FULL (production default; received events commit relaxed, without the WAL fsync, ADR 0067); ${bound}`),
    fig('ingest.node.sqlite-normal', 'sqliteNormal', 'as above, synchronous=NORMAL (agents)', false),
    fig('ingest.node.memory', 'memory', 'ReplicaHost.ingest in 256-event batches, memory store'),
    fig('ingest.node.replica-add', 'replica', 'breakdown: Replica.add alone (decode + verify + fold, no host, no store)', false),
    fig('ingest.node.replica-add-native-sha256', 'replicaNative', 'breakdown: Replica.add with node:crypto sha256 injected for ids (EventLogInit.sha256, what RoomPeer passes in Node)', false),
    fig('ingest.node.replica-add-summary', 'replicaSummary', 'breakdown: Replica.add (node:crypto sha256 for ids) with the sync summary read after every event, as a tab reports each folded change (ADR 0112)', false),
    fig('ingest.node.log-add', 'log', 'breakdown: EventLog.add alone (decode + verify + admission, no fold; node:crypto sha256 for ids, as the hosts)', false),
    fig('ingest.node.duplicate', 'duplicate', 'breakdown: Replica.add of an event already held (answered from the hash, before decoding)', false),
    fig('ingest.node.decode', 'decode', 'breakdown: decodeEvent alone (validating decoder: decode and canonical check in one pass, signing bytes cut from the input + envelope checks + zod payload + id)', false),
  ]
}
