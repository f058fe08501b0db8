/**
 * Child of bench/memory.ts: `node --expose-gc --import tsx bench/memory-child.ts <variant> <n>`.
 * Prints one MemorySample JSON line.
 */
import '../lib/node/polyfills'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RoomId } from '../lib/core/ids'
import { EventLog } from '../lib/core/log/log'
import { Fold } from '../lib/core/state/fold'
import { Replica } from '../lib/core/state/replica'
import { libp2pVerifier } from '../lib/net/keys'
import { ReplicaHost } from '../lib/net/replica-host'
import { createMemoryStore } from '../lib/storage/memory-store'
import { openSqliteStore } from '../lib/storage/sqlite-store'
import type { MemorySample } from './memory'
import { loadRoom } from './room'

const gc = (globalThis as { gc?: () => void }).gc
// The generated room stamps its events 100 ms apart from six hours before it was made, so a room
// of more than ~200k events reaches up to ~8 h past the present (500k): the replicas' clock runs
// 10 h ahead (what is measured is memory, not clock admission). Its invites expire 42 h after
// the room was made, which this leaves 30 h of cache life.
const now = (): number => Date.now() + 10 * 3600_000
const settle = async (): Promise<NodeJS.MemoryUsage> => {
  const samples: NodeJS.MemoryUsage[] = []
  for (let i = 0; i < 5; i++) {
    gc?.()
    await new Promise((r) => setTimeout(r, 20))
    samples.push(process.memoryUsage())
  }
  samples.sort((a, b) => a.heapUsed + a.arrayBuffers - (b.heapUsed + b.arrayBuffers))
  return samples[2]
}

const [variant = 'replica', total = '2000'] = process.argv.slice(2)
const dir = await mkdtemp(join(tmpdir(), 'chorus-bench-mem-'))
const room = await loadRoom(Number(total))
const { room: roomId, bytes: rawBytes } = room
// Warm up the code paths (and module-level caches) on a throwaway replica first.
const warm = new Replica({ room: roomId as RoomId, verifier: libp2pVerifier(), now })
for (const b of room.events.slice(0, 50)) await warm.add(b)
const sqlite = variant === 'sqlite' ? await openSqliteStore({ dataDir: dir, synchronous: 'NORMAL' }) : undefined
// The source stays alive throughout (in before and after); each event is fed as a fresh copy,
// so the delta is exactly what the replica retains, its own copy of the bytes included.
const events = room.events
// `fold`: the folded state alone (checkpoints included), over a log built before measuring.
const held = variant === 'fold' ? new EventLog({ room: roomId as RoomId, verifier: libp2pVerifier(), now }) : undefined
if (held) for (const b of events) await held.add(b.slice())
const before = await settle()
let keep: unknown
if (held) {
  const fold = new Fold(roomId as RoomId)
  for (const e of held.all()) fold.insert(e)
  keep = fold
} else if (variant === 'log') {
  const log = new EventLog({ room: roomId as RoomId, verifier: libp2pVerifier(), now })
  for (const b of events) await log.add(b.slice())
  keep = log
} else if (variant === 'replica') {
  const replica = new Replica({ room: roomId as RoomId, verifier: libp2pVerifier(), now })
  for (const b of events) await replica.add(b.slice())
  keep = replica
} else {
  const host = new ReplicaHost({ room: roomId as RoomId, store: sqlite ?? createMemoryStore(), verifier: libp2pVerifier(), now })
  for (let i = 0; i < events.length; i += 256) await host.ingest(events.slice(i, i + 256).map((b) => b.slice()))
  host.close()
  keep = host
}
const after = await settle()
const sample: MemorySample = {
  variant,
  roomEvents: events.length,
  // Reading the kept replica after the measurement keeps it alive through it.
  events: keep instanceof ReplicaHost ? keep.replica.log.size : keep instanceof Replica ? keep.log.size : keep instanceof Fold ? keep.state.applied : (keep as EventLog).size,
  rawBytes,
  heapDelta: after.heapUsed - before.heapUsed,
  arrayBuffersDelta: after.arrayBuffers - before.arrayBuffers,
  rssDelta: after.rss - before.rss,
}
await sqlite?.close()
await rm(dir, { recursive: true, force: true })
console.log(JSON.stringify(sample))
