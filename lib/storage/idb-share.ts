/**
 * The tabs of one browser share the event database, and every tab of a room receives the same
 * events; one of them writes the received events and the others rely on it (ADR 0119).
 *
 * - **One writer per room.** Each connection asks for the Web Lock `<database>:writer:<room>`
 *   when it first writes to the room and holds it until it closes; the browser grants it to one
 *   connection at a time and to the next in line when the holder's tab closes or dies.
 * - **Notices.** Every connection posts on a BroadcastChannel the ids of each slab it commits;
 *   the others learn them (`RoomCatalog.heard`) without reading the slab.
 * - **Followers wait, then write.** A connection without the lock does not write received
 *   events: their `putMany` resolves once notices (or its own reads and writes) show them stored
 *   by some connection — stored, so acknowledging them is as safe as after its own write. What is
 *   not stored within `followMs`, or when this connection takes the lock, it writes itself, so
 *   an event never depends on a writer that lags, lacks it, or closed before writing it.
 * - **Unchanged:** strict writes (an event this tab authors, with the received events it was
 *   written after) are made by the connection that asks, before it publishes; meta likewise.
 */
import type { StoredRecord } from './event-store'
import { ReceivedWaits, type Wait } from './idb-waits'

/** What SharedWrites needs of a Web Locks manager (`navigator.locks`). */
export interface WriterLocks {
  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>
}

/** What SharedWrites needs of a BroadcastChannel. */
export interface NoticeChannel {
  postMessage(message: unknown): void
  onmessage: ((event: { data: unknown }) => void) | null
  close(): void
}

/** Options of sharing; absent Web Locks or BroadcastChannel, a connection writes everything itself. */
export interface ShareInit {
  locks?: WriterLocks
  channel?: (name: string) => NoticeChannel
  /** How long a follower waits for the writer before writing received events itself (ms). @default 1000 */
  followMs?: number
}

/** A committed slab as a notice carries it. */
export interface SlabNotice {
  readonly n: number
  readonly ids: readonly string[]
}

/** The store's side: its relaxed write, and its room catalogs. */
export interface ShareHooks {
  write(room: string, records: readonly StoredRecord[]): Promise<number>
  holds(room: string, id: string): boolean
  heard(room: string, slabs: readonly SlabNotice[]): void
}

const DEFAULT_FOLLOW_MS = 1000

/** Sharing with both its parts. */
export type ActiveShare = ShareInit & Required<Pick<ShareInit, 'locks' | 'channel'>>

/**
 * The sharing a connection uses: `init`'s parts, else the browser's Web Locks and
 * BroadcastChannel; none when `init` is false or either part is missing (each tab then writes
 * everything it receives, deduplicated by the slab numbers).
 */
export function activeShare(init: ShareInit | false | undefined): ActiveShare | undefined {
  if (init === false) return undefined
  const locks = init?.locks ?? (globalThis as { navigator?: { locks?: WriterLocks } }).navigator?.locks
  const channel = init?.channel ?? (typeof BroadcastChannel === 'function' ? (name: string) => new BroadcastChannel(name) as unknown as NoticeChannel : undefined)
  if (typeof locks?.request !== 'function' || channel === undefined) return undefined
  return { ...init, locks, channel }
}

/** A notice from another connection, or undefined if it is not one (it crossed a boundary). */
export function readNotice(data: unknown): { room: string; slabs: SlabNotice[] } | undefined {
  const m = data as { room?: unknown; slabs?: unknown } | null
  if (typeof m?.room !== 'string' || !Array.isArray(m.slabs)) return undefined
  for (const s of m.slabs as { n?: unknown; ids?: unknown }[]) {
    if (!Number.isSafeInteger(s?.n) || (s.n as number) < 1 || !Array.isArray(s.ids) || !s.ids.every((id) => typeof id === 'string')) return undefined
  }
  return { room: m.room, slabs: m.slabs as SlabNotice[] }
}

/** See the module comment. */
export class SharedWrites {
  readonly #name: string
  readonly #locks: WriterLocks
  readonly #channel: NoticeChannel
  readonly #hooks: ShareHooks
  readonly #followMs: number
  /** Rooms this connection writes (it holds their lock); a room absent here has not been asked for. */
  readonly #writer = new Map<string, boolean>()
  readonly #waits = new ReceivedWaits()
  readonly #timers = new Set<ReturnType<typeof setTimeout>>()
  readonly #abort = new AbortController()
  #release!: () => void
  readonly #released = new Promise<void>((r) => (this.#release = r))
  #closed = false

  constructor(name: string, init: ActiveShare, hooks: ShareHooks) {
    this.#name = name
    this.#locks = init.locks
    this.#hooks = hooks
    this.#followMs = init.followMs ?? DEFAULT_FOLLOW_MS
    this.#channel = init.channel(`${name}:slabs`)
    this.#channel.onmessage = (event) => {
      const notice = readNotice(event.data)
      if (notice === undefined || this.#closed) return
      hooks.heard(notice.room, notice.slabs)
      this.settle(notice.room)
    }
  }

  /**
   * Stores received records of `room`: written here by the room's writer; otherwise resolved
   * once some connection has stored them, or written here after `followMs`. Resolves to how
   * many records this connection wrote.
   */
  received(room: string, records: readonly StoredRecord[]): Promise<number> {
    if (this.#elect(room)) return this.#hooks.write(room, records)
    const left = records.filter((r) => !this.#hooks.holds(room, r.id))
    if (left.length === 0) return Promise.resolve(0)
    const { wait, promise } = this.#waits.add(room, left)
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      if (!this.#closed && this.#waits.take(wait)) this.#write(wait)
    }, this.#followMs)
    this.#timers.add(timer)
    return promise
  }

  /** Tells the other connections about slabs this one committed, and finishes what they held. */
  committed(room: string, slabs: readonly SlabNotice[]): void {
    if (this.#closed) return
    this.#elect(room)
    this.#channel.postMessage({ room, slabs: slabs.map(({ n, ids }) => ({ n, ids })) })
    this.settle(room)
  }

  /** Tells the other connections about slabs another one committed (its notice may be lost). */
  pass(room: string, slabs: readonly SlabNotice[]): void {
    if (this.#closed || slabs.length === 0) return
    this.#channel.postMessage({ room, slabs: slabs.map(({ n, ids }) => ({ n, ids })) })
  }

  /** Finishes the waits of `room` whose records the catalog now holds. */
  settle(room: string): void {
    if (this.#waits.size > 0) this.#waits.settle(room, (id) => this.#hooks.holds(room, id))
  }

  /** Releases the locks (the next tab in line writes), stops listening, fails what still waits. */
  close(err: unknown): void {
    if (this.#closed) return
    this.#closed = true
    this.#abort.abort()
    this.#release()
    this.#channel.close()
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
    this.#waits.failAll(err)
  }

  /** Whether this connection writes `room`'s received events; asks for its lock the first time. */
  #elect(room: string): boolean {
    const writer = this.#writer.get(room)
    if (writer !== undefined) return writer
    this.#writer.set(room, false)
    this.#locks
      .request(`${this.#name}:writer:${room}`, { signal: this.#abort.signal }, () => {
        if (this.#closed) return
        this.#writer.set(room, true)
        for (const w of this.#waits.takeRoom(room)) this.#write(w)
        return this.#released
      })
      .catch(() => undefined)
    return false
  }

  /** Writes what `w` still waits for, here; finishes it with what this connection wrote. */
  #write(w: Wait): void {
    this.#hooks.write(w.room, w.records).then(w.resolve, w.reject)
  }
}
