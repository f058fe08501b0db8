/**
 * Bundled by bench/browser/tabs.ts and run in several pages of one browser context, which share
 * one origin and so one IndexedDB: each page is a tab's ReplicaHost over the IndexedDB store
 * (`openIdbStore`, as `tab-mesh.ts` opens it) receiving the same events as gossip brings them —
 * one `ingest` per event, a burst at a time, on a schedule of wall-clock times that every page
 * shares. The page counts what it asks of IndexedDB (readwrite transactions, those that abort,
 * slabs and events sent to `add`) and which events it acknowledged (their ingest resolved), and
 * checks a database after every tab has closed.
 */
import { decodeEvent } from '../../lib/core/events/codec'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier } from '../../lib/net/keys'
import { ReplicaHost } from '../../lib/net/replica-host'
import { wasmSha256 } from '../../lib/net/wasm-sha256'
import { loadEvents } from './load-events'
import type { EventStore } from '../../lib/storage/event-store'
import { openIdbStore } from '../../lib/storage/idb-store'

/** What a page asked of IndexedDB. */
export interface IdbCounts {
  /** Readwrite transactions begun, and those that aborted. */
  readwrite: number
  aborted: number
  /** `add` requests (slabs) and the events they carried. */
  slabs: number
  events: number
  /** Events `putMany` reported as new (written by this page). */
  written: number
}

/** A page's schedule: events [from, to) ingested `burst` at a time every `intervalMs` from wall time `t0`. */
export interface Schedule {
  t0: number
  intervalMs: number
  burst: number
  from: number
  to: number
}

/** What a run of the schedule did. */
export interface RunReport {
  wallMs: number
  acked: number
  failed: number
  /** Parked until an event they reference arrives (a burst's events are ingested concurrently). */
  pending: number
  /** Neither accepted, pending nor a duplicate. */
  refused: number
}

/** What a check of the database found, from a connection opened after the tabs closed. */
export interface Check {
  stored: number
  distinct: number
  expected: number
  missing: number
  extra: number
  bytesDiffer: number
  /** Slab numbers per room are 1…n without gaps. */
  gapFree: boolean
  /** The stored events replayed into a fresh replica: how many it accepted, and whether its root is the reference's. */
  replayAccepted: number
  sameRoot: boolean
}

export interface TabsBench {
  count: number
  /** Opens the store named `db` and a host on it. */
  open(db: string): Promise<void>
  run(s: Schedule): Promise<RunReport>
  counts(): IdbCounts
  /** Ids whose ingest resolved, since the last call. */
  takeAcked(): string[]
  check(db: string, upTo: number): Promise<Check>
  close(): Promise<void>
}


const { room, events } = await loadEvents()
const ids = events.map((b) => {
  const d = decodeEvent(b)
  if (!d.ok) throw new Error('bad event')
  return d.value.id as string
})
const sha256 = await wasmSha256()
if (!sha256) throw new Error('no WebAssembly SHA-256')

const counts: IdbCounts = { readwrite: 0, aborted: 0, slabs: 0, events: 0, written: 0 }
const transaction = IDBDatabase.prototype.transaction
IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<typeof transaction>) {
  const tx = transaction.apply(this, args)
  if (args[1] === 'readwrite') {
    counts.readwrite++
    tx.addEventListener('abort', () => counts.aborted++)
  }
  return tx
} as typeof transaction
const add = IDBObjectStore.prototype.add
IDBObjectStore.prototype.add = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
  const slab = value as { ids?: unknown[] } | null
  if (Array.isArray(slab?.ids)) {
    counts.slabs++
    counts.events += slab.ids.length
  }
  return add.call(this, value, key)
}

let store: EventStore | undefined
let host: ReplicaHost | undefined
let acked: string[] = []
/** The driver's binding, when it listens for acknowledgements as they happen (a tab it closes mid-stream). */
const ackNow = (globalThis as { chorusAck?: (id: string) => void }).chorusAck

const bench: TabsBench = {
  count: events.length,
  async open(db) {
    // A test may give followers longer than the default before they write (a loaded machine's writer lags).
    const followMs = Number(new URLSearchParams(location.search).get('follow') ?? 0)
    const s = await openIdbStore({ name: db, ...(followMs > 0 ? { share: { followMs } } : {}) })
    const putMany = s.putMany.bind(s)
    store = s
    // Counts what this page's writes found new; every other method goes to the store itself.
    const counted: EventStore = Object.create(s, {
      putMany: { value: async (...a: Parameters<EventStore['putMany']>) => {
        const n = await putMany(...a)
        counts.written += n
        return n
      } },
    })
    for (const k of ['has', 'get', 'loadAll', 'scan', 'count', 'getMeta', 'setMeta', 'deleteMeta', 'rooms', 'close'] as const) {
      Object.defineProperty(counted, k, { value: (s[k] as (...a: unknown[]) => unknown).bind(s) })
    }
    host = new ReplicaHost({ room, store: counted, verifier: libp2pVerifier(), sha256 })
    await host.load()
  },
  async run({ t0, intervalMs, burst, from, to }) {
    const h = host
    if (!h) throw new Error('not open')
    const report: RunReport = { wallMs: 0, acked: 0, failed: 0, pending: 0, refused: 0 }
    const pending: Promise<void>[] = []
    const start = performance.now()
    for (let i = from, tick = 0; i < to; tick++) {
      const wait = t0 + tick * intervalMs - Date.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      // A burst arrives as separate gossip messages, each ingested on its own (the validators run concurrently).
      for (const end = Math.min(to, i + burst); i < end; i++) {
        const at = i
        pending.push(
          h.ingest([events[at]]).then(
            ([r]) => {
              if (r.status === 'pending') report.pending++
              else if (r.status !== 'accepted' && r.status !== 'duplicate') report.refused++
              acked.push(ids[at])
              ackNow?.(ids[at])
              report.acked++
            },
            () => void report.failed++,
          ),
        )
      }
    }
    await Promise.all(pending)
    report.wallMs = performance.now() - start
    return report
  },
  counts: () => ({ ...counts }),
  takeAcked() {
    const out = acked
    acked = []
    return out
  },
  async check(db, upTo) {
    const s = await openIdbStore({ name: db })
    const all = await s.loadAll(room)
    await s.close()
    const want = new Map(ids.slice(0, upTo).map((id, i) => [id, events[i]]))
    const seen = new Set<string>()
    let bytesDiffer = 0
    let extra = 0
    for (const r of all) {
      seen.add(r.id)
      const b = want.get(r.id)
      if (!b) extra++
      else if (b.length !== r.bytes.length || b.some((x, i) => x !== r.bytes[i])) bytesDiffer++
    }
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const o = indexedDB.open(db)
      o.onsuccess = () => resolve(o.result)
      o.onerror = () => reject(o.error)
    })
    const keys = await new Promise<[string, number][]>((resolve, reject) => {
      const r = raw.transaction('roomSlabs').objectStore('roomSlabs').getAllKeys()
      r.onsuccess = () => resolve(r.result as [string, number][])
      r.onerror = () => reject(r.error)
    })
    raw.close()
    const replay = new Replica({ room, verifier: libp2pVerifier(), sha256 })
    let replayAccepted = 0
    for (const r of all) if ((await replay.add(r.bytes)).status === 'accepted') replayAccepted++
    const reference = new Replica({ room, verifier: libp2pVerifier(), sha256 })
    for (const b of events.slice(0, upTo)) await reference.add(b)
    return {
      stored: all.length,
      distinct: seen.size,
      expected: want.size,
      missing: [...want.keys()].filter((id) => !seen.has(id)).length,
      extra,
      bytesDiffer,
      gapFree: keys.every(([, n], i) => n === i + 1),
      replayAccepted,
      sameRoot: replay.summary().root === reference.summary().root,
    }
  },
  async close() {
    host?.close()
    await store?.close()
  },
}
;(globalThis as { tabsBench?: TabsBench }).tabsBench = bench
