/**
 * Bundled by bench/chromium.ts (esbuild, browser conditions) and run in a Chromium page: the
 * same ingest code as Node (ReplicaHost with the IndexedDB and the memory store) against raw
 * WebCrypto Ed25519 verifies through libp2p crypto, interleaved; wall ms (no CPU clock in a page).
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeEvent } from '../../lib/core/events/codec'
import type { RoomId } from '../../lib/core/ids'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier } from '../../lib/net/keys'
import { ReplicaHost } from '../../lib/net/replica-host'
import type { EventStore } from '../../lib/storage/event-store'
import { openIdbStore } from '../../lib/storage/idb-store'
import { createMemoryStore } from '../../lib/storage/memory-store'

/** What `window.chorusBench` offers the driver. */
export interface BrowserBench {
  ingest(reps: number): Promise<Record<string, number[]>>
  /** Builds a Replica of every event and keeps it alive on the window; returns the event bytes. */
  retain(): Promise<number>
  count: number
}

async function load(): Promise<{ room: RoomId; events: Uint8Array[] }> {
  const buf = new Uint8Array(await (await fetch(`/events.bin${location.search}`)).arrayBuffer())
  const events: Uint8Array[] = []
  for (let at = 0; at < buf.length; ) {
    const len = new DataView(buf.buffer, at, 4).getUint32(0)
    events.push(buf.slice(at + 4, at + 4 + len))
    at += 4 + len
  }
  const first = decodeEvent(events[0])
  if (!first.ok) throw new Error('bad genesis')
  return { room: first.value.id, events }
}

const { room, events } = await load()

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

async function host(store: EventStore): Promise<void> {
  const h = new ReplicaHost({ room, store, verifier: libp2pVerifier() })
  for (let i = 0; i < events.length; i += 256) {
    const r = await h.ingest(events.slice(i, i + 256))
    if (r.some((x) => x.status !== 'accepted')) throw new Error('not accepted')
  }
  h.close()
}

const inputs = events.map((bytes) => {
  const d = decodeEvent(bytes)
  if (!d.ok) throw new Error('bad event')
  const key = peerIdFromString(d.value.event.author).publicKey
  if (!key) throw new Error('no key')
  return { key, signing: d.signing, sig: d.value.event.sig }
})

const bench: BrowserBench = {
  count: events.length,
  async ingest(reps) {
    const s: Record<string, number[]> = { verify: [], memory: [], idb: [], replica: [] }
    for (let rep = 0; rep < reps; rep++) {
      s.verify.push(await timed(async () => {
        for (const x of inputs) if (!(await x.key.verify(x.signing, x.sig))) throw new Error('bad signature')
      }))
      s.replica.push(await timed(async () => {
        const r = new Replica({ room, verifier: libp2pVerifier() })
        for (const b of events) await r.add(b)
      }))
      s.memory.push(await timed(() => host(createMemoryStore())))
      const store = await openIdbStore({ name: `bench-${rep}-${Date.now()}` })
      s.idb.push(await timed(() => host(store)))
      await store.close()
    }
    return s
  },
  async retain() {
    const r = new Replica({ room, verifier: libp2pVerifier() })
    for (const b of events) await r.add(b.slice())
    ;(globalThis as { retained?: unknown }).retained = r
    return events.reduce((n, b) => n + b.byteLength, 0)
  },
}
;(globalThis as { chorusBench?: BrowserBench }).chorusBench = bench
