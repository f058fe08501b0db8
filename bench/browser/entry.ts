/**
 * Bundled by bench/chromium.ts (esbuild, browser conditions) and run in a Chromium page: the
 * same ingest code as Node (ReplicaHost with the IndexedDB and the memory store) against raw
 * WebCrypto Ed25519 verifies (each key imported once), interleaved, and libp2p crypto's verify
 * (which imports the key on every call) beside it. The page reports wall ms; the driver reads
 * the CPU time of Chromium's processes around each step.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeEvent } from '../../lib/core/events/codec'
import { EventLog } from '../../lib/core/log/log'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier } from '../../lib/net/keys'
import { ReplicaHost } from '../../lib/net/replica-host'
import { tabMessageIds } from '../../lib/net/tab-message-id'
import { eventsTopic } from '../../lib/net/topics'
import { wasmSha256 } from '../../lib/net/wasm-sha256'
import { loadEvents } from './load-events'
import type { EventStore } from '../../lib/storage/event-store'
import { openIdbStore } from '../../lib/storage/idb-store'
import { createMemoryStore } from '../../lib/storage/memory-store'

/** What `window.chorusBench` offers the driver. */
export interface BrowserBench {
  /** The ingest steps, each over every event once. */
  steps: string[]
  /** Runs one step; resolves to its wall ms. */
  run(step: string): Promise<number>
  /** Builds a Replica of every event and keeps it alive on the window; returns the event bytes. */
  retain(): Promise<number>
  count: number
}


const { room, events } = await loadEvents()
/** The same number of events as a tab receives them from gossip (late-room.ts); the memory page has none. */
const late = new URLSearchParams(location.search).has('late') ? await loadEvents('/late.bin') : undefined
/** The ids' hash a tab's RoomPeer uses (tab-mesh.ts); every pipeline step below hashes with it. */
const sha256 = await wasmSha256()
if (!sha256) throw new Error('no WebAssembly SHA-256')

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

/** The store's methods bound to it, to override one (its class keeps state in private fields). */
function bound(store: EventStore): EventStore {
  const proto = Object.getPrototypeOf(store) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of Object.getOwnPropertyNames(proto)) if (k !== 'constructor' && typeof proto[k] === 'function') out[k] = (proto[k] as (...a: unknown[]) => unknown).bind(store)
  return out as unknown as EventStore
}

async function host(store: EventStore): Promise<void> {
  const h = new ReplicaHost({ room, store, verifier: libp2pVerifier(), sha256 })
  for (let i = 0; i < events.length; i += 256) {
    const r = await h.ingest(events.slice(i, i + 256))
    if (r.some((x) => x.status !== 'accepted')) throw new Error('not accepted')
  }
  h.close()
}

const imported = new Map<string, CryptoKey>()
const inputs = await Promise.all(
  events.map(async (bytes) => {
    const d = decodeEvent(bytes)
    if (!d.ok) throw new Error('bad event')
    const key = peerIdFromString(d.value.event.author).publicKey
    if (!key) throw new Error('no key')
    let web = imported.get(d.value.event.author)
    if (!web) imported.set(d.value.event.author, (web = await crypto.subtle.importKey('raw', key.raw.slice(), { name: 'Ed25519' }, false, ['verify'])))
    return { key, web, signing: d.signing.slice(), sig: d.value.event.sig.slice() }
  }),
)
const ids = events.map((bytes) => {
  const d = decodeEvent(bytes)
  if (!d.ok) throw new Error('bad event')
  return d.value.id
})

/** One timed ingest step each; the driver runs them interleaved and reads the CPU around each. */
const steps: Record<string, () => Promise<void>> = {
  async verify() {
    for (const x of inputs) if (!(await crypto.subtle.verify({ name: 'Ed25519' }, x.web, x.sig, x.signing))) throw new Error('bad signature')
  },
  async libp2p() {
    for (const x of inputs) if (!(await x.key.verify(x.signing, x.sig))) throw new Error('bad signature')
  },
  async replica() {
    const r = new Replica({ room, verifier: libp2pVerifier(), sha256 })
    for (const b of events) await r.add(b)
  },
  async log() {
    const l = new EventLog({ room, verifier: libp2pVerifier(), sha256 })
    for (const b of events) await l.add(b)
  },
  memory: () => host(createMemoryStore()),
  async idb() {
    const store = await openIdbStore({ name: `bench-${Date.now()}-${Math.random()}` })
    await host(store)
    await store.close()
  },
  /**
   * Reference, not a pipeline: the same events' bytes put into IndexedDB the plain way, one
   * record per event keyed by its id, one relaxed transaction per 256 events (the host's batch).
   */
  async put() {
    const name = `bench-put-${Date.now()}-${Math.random()}`
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 1)
      open.onupgradeneeded = () => open.result.createObjectStore('events')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    for (let i = 0; i < events.length; i += 256) {
      const tx = db.transaction('events', 'readwrite', { durability: 'relaxed' })
      const store = tx.objectStore('events')
      for (let j = i; j < Math.min(i + 256, events.length); j++) store.add(events[j], ids[j])
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve()
        tx.onerror = () => reject(tx.error)
      })
    }
    db.close()
  },
  /**
   * What a tab does per event gossip brings it, outside gossipsub and rendering: the message id
   * (tab-message-id.ts), then the ingest of that one event (memory store), the events in the order
   * a tab receives them (late-room.ts: concurrent, some late, some before their references), the
   * state and the summary's root read every second event as a tab's report reads them in a busy room.
   */
  async gossip() {
    if (!late) throw new Error('no late room on this page')
    const ids = tabMessageIds(sha256)
    const topic = eventsTopic(late.room)
    const h = new ReplicaHost({ room: late.room, store: createMemoryStore(), verifier: libp2pVerifier(), sha256: ids.sha256 })
    let n = 0
    for (const data of late.events) {
      ids.msgIdFn({ type: 'unsigned', topic, data })
      const [r] = await h.ingest([data])
      if (r.status !== 'accepted' && r.status !== 'pending') throw new Error(`not accepted: ${r.status}`)
      if (++n % 2 === 0) void (h.replica.state, h.replica.summary().root)
    }
    void h.replica.state
    h.close()
  },
  /** As idb, with every write strict (received events were written so before ADR 0067). */
  async 'idb-strict'() {
    const store = await openIdbStore({ name: `bench-${Date.now()}-${Math.random()}` })
    await host({ ...bound(store), putMany: (room, records) => store.putMany(room, records, { durability: 'strict' }) })
    await store.close()
  },
}

const bench: BrowserBench = {
  count: events.length,
  steps: Object.keys(steps),
  run: (step) => timed(steps[step]),
  async retain() {
    const r = new Replica({ room, verifier: libp2pVerifier(), sha256 })
    for (const b of events) await r.add(b.slice())
    ;(globalThis as { retained?: unknown }).retained = r
    return events.reduce((n, b) => n + b.byteLength, 0)
  },
}
;(globalThis as { chorusBench?: BrowserBench }).chorusBench = bench
