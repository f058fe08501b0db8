/**
 * The one ingest path of a peer (DESIGN §1, §5): every event — from gossip, from a sync round,
 * from the local user — goes through `ingest`/`author`, which validates and folds it in the
 * core replica and then stores it; only after the store has it does the call resolve, so
 * nothing is acknowledged (to the CLI, a publish, a gossip forward) that a crash of the process
 * could lose (received events' writes are relaxed: an OS crash may lose this copy, ADR 0067).
 * An authored event is written strictly before it exists; events from peers are written with
 * relaxed durability, and a view may show them once folded, before their write lands (ADR 0067:
 * `subscribeFolded`). Start-up replays the store before the first sync.
 */
import type { EncodedEvent } from '../core/events/envelope'
import type { EventKind, PayloadInput } from '../core/events/kinds'
import type { Signer, Verifier } from '../core/events/signer'
import type { RoomId } from '../core/ids'
import type { AddResult } from '../core/log/reasons'
import type { StoredEvent } from '../core/log/stored'
import { Replica } from '../core/state/replica'
import type { EventStore, StoredRecord } from '../storage/event-store'
import { FutureHold } from './future-hold'
import { peekHeader } from './event-header'
import { Lag } from './lag'
import { LonePass } from './lone-pass'
import { SLICE_MS, TimeSlicer } from './slice'

export interface ReplicaHostInit {
  room: RoomId
  store: EventStore
  verifier: Verifier
  now?: () => number
  /**
   * How far ahead of our clock an event may be stamped and still be admitted at once (ms):
   * honest clock drift. @default 1000
   */
  clockToleranceMs?: number
  /** Events stamped further ahead, up to this much, are held and admitted when due. @default 300000 */
  holdWindowMs?: number
  /** Held events at most (all authors), and per author. @default 1024, 64 */
  maxHeld?: number
  maxHeldPerAuthor?: number
  /** The log's event hash (`EventLogInit.sha256`): node:crypto's in Node, see `nativeSha256`. */
  sha256?: (bytes: Uint8Array) => Uint8Array
  /** Longest stretch of adds before the host yields the event loop (ms). @default SLICE_MS */
  sliceMs?: number
}

const RECENT = 100

/** The store's record of a stored event, made once when the replica stores it (not again per flush). */
const toRecord = (e: StoredEvent): StoredRecord => ({
  id: e.id,
  bytes: e.bytes,
  author: e.event.author,
  seq: e.event.seq,
  lamport: e.event.lamport,
  kind: e.event.kind,
})

/** See the module comment. */
export class ReplicaHost {
  readonly replica: Replica
  readonly room: RoomId
  private readonly store: EventStore
  /** Stored by the replica, not yet by the store. */
  private unsaved: StoredRecord[] = []
  /** Authored events already written, about to be added (their add must not write them again). */
  private readonly persisted = new Set<string>()
  private replaying = false
  /** The next write, while it has not yet taken its batch: later callers join it. */
  private nextFlush?: Promise<void>
  /** Writes holding received events that have not landed yet (a caller's events may be in any of them). */
  /** Writes out, with the received records each carries (an authored event's write repeats them). */
  private readonly outstanding = new Map<Promise<void>, readonly StoredRecord[]>()
  /** Store writes so far, and events written by them (group commit: events per write). */
  writes = 0
  private readonly listeners = new Set<() => void>()
  private readonly foldedListeners = new Set<() => void>()
  /** Events the log has kept, replay included: what tells an ingest that the state changed. */
  private storedTotal = 0
  /** Events this host has stored since start (not counting the replay). */
  storedCount = 0
  /** The last stored events (replayed ones included), for activity feeds. */
  private readonly latest: StoredEvent[] = []
  /** Future-stamped events waiting for their time (held, bounded, until due). */
  private readonly future: FutureHold
  private readonly now: () => number
  /** Every add from the network and the store goes through one lane that yields between slices. */
  readonly lane: TimeSlicer
  /** Lone authors' gossiped adds let past the lane. */
  readonly lone = new LonePass()
  private readonly lag: Lag
  private retryTimer?: ReturnType<typeof setTimeout>
  private retryMs = 0
  private closed = false

  constructor(init: ReplicaHostInit) {
    this.room = init.room
    this.store = init.store
    this.now = init.now ?? Date.now
    this.lag = new Lag(this.now)
    this.future = new FutureHold({
      now: this.now,
      windowMs: init.holdWindowMs ?? 300_000,
      max: init.maxHeld ?? 1024,
      maxPerAuthor: init.maxHeldPerAuthor ?? 64,
      // A failed write keeps the events unsaved (the next flush retries them); a timer has
      // nobody to tell, so the failure ends here rather than as an unhandled rejection.
      release: (events) => this.ingest(events).catch(() => undefined),
    })
    this.lane = new TimeSlicer(init.sliceMs ?? SLICE_MS)
    this.replica = new Replica({
      room: init.room,
      verifier: init.verifier,
      // Only when given: the log's defaults are spread under its init, so `now: undefined` would erase them.
      ...(init.now != null ? { now: init.now } : {}),
      ...(init.sha256 != null ? { sha256: init.sha256 } : {}),
      // Admit only what is (nearly) due by our clock; later stamps are held below, so one
      // member's fast clock cannot, say, age a session into a duration escalation early.
      maxClockSkewMs: init.clockToleranceMs ?? 1000,
      onStored: (e) => {
        this.storedTotal++
        // An authored event was written before it was added (persistOwn).
        if (!this.persisted.delete(e.id) && !this.replaying) {
          this.unsaved.push(toRecord(e))
          this.lag.note(e.event.time)
        }
        this.latest.push(e)
        if (this.latest.length > RECENT * 2) this.latest.splice(0, this.latest.length - RECENT)
      },
    })
  }

  /** Replays the store into the replica; resolves to the number of events loaded. */
  async load(): Promise<number> {
    this.replaying = true
    let n = 0
    try {
      for await (const batch of this.store.scan(this.room)) {
        for (const rec of batch) {
          // Each add resolves in microtasks: without the lane's turns a big room's replay would
          // be one long task per scanned batch.
          await this.lane.run(() => this.replica.add(rec.bytes))
          n++
        }
      }
    } finally {
      this.replaying = false
    }
    this.notifyFolded()
    this.notify()
    return n
  }

  /** Adds events from the network; resolves once every newly stored one is durable. */
  async ingest(events: readonly Uint8Array[]): Promise<AddResult[]> {
    const results: AddResult[] = new Array(events.length)
    const storedBefore = this.storedTotal
    for (let i = 0; i < events.length; i++) {
      const r = await this.add(events[i], events.length === 1)
      if (r.status === 'rejected' && r.reason === 'clock_ahead') this.future.offer(events[i], r.id)
      results[i] = r
    }
    // Whatever the log kept (accepted events, equivocation evidence that quarantines its author) changed the state.
    if (this.storedTotal > storedBefore) this.notifyFolded()
    await this.flush()
    return results
  }

  /**
   * A sync batch or a gossip backlog (one ingest per message, all at once) must not starve the
   * relay's HTTP and the other sockets: adds go through the lane, which yields between slices.
   * A gossiped event whose author has nothing in the lane goes past it (lone-pass.ts).
   */
  private add(bytes: Uint8Array, gossiped: boolean): Promise<AddResult> {
    const author = gossiped ? peekHeader(bytes)?.author : undefined
    if (author == null) return this.lane.run(() => this.replica.add(bytes))
    if (this.lone.take(author)) return this.replica.add(bytes)
    return this.lone.track(author, this.lane.run(() => this.replica.add(bytes)))
  }

  /** How far behind the room this replica is (ms; lag.ts). */
  get lagMs(): number {
    return this.lag.ms
  }

  /** A sync round begun at `at` found a peer holding nothing this replica lacks (lag.ts). */
  caughtUp(at: number): void {
    this.lag.caughtUp(at)
  }

  /** The `n` (≤ 100) most recently stored events, newest first. */
  recent(n = RECENT): StoredEvent[] {
    return this.latest.slice(-Math.min(n, RECENT)).reverse()
  }

  /** Number of future-stamped events waiting. */
  get heldCount(): number {
    return this.future.size
  }

  /** Future-stamped events dropped because the hold (or the author's share) was full or they were too far ahead. */
  get droppedFuture(): number {
    return this.future.dropped
  }

  /** Stops the hold and retry timers (the peer is shutting down). */
  close(): void {
    this.closed = true
    this.future.close()
    clearTimeout(this.retryTimer)
  }

  /**
   * Authors an event as `signer`; resolves once it is durable (then the caller may publish it).
   * It is written before it enters the replica: if the write fails, the call rejects and the
   * event exists nowhere (no sync round serves it, no retry writes it later).
   */
  async author<K extends EventKind>(signer: Signer, kind: K, payload: PayloadInput<K>): Promise<EncodedEvent> {
    const enc = await this.replica.author(signer, kind, payload, (e) => this.persistOwn(e))
    this.notifyFolded()
    this.notify()
    return enc
  }

  /**
   * Writes one authored event at once (not grouped: the UI waits for it), with whatever received
   * events are folded and not yet known written — unsaved, or in a write still out, which may
   * yet fail — in the same strict transaction, so the store never holds an authored event
   * without what it was written after. Stores keep a record already held as it is, so the
   * repeat costs bytes, not correctness.
   */
  private persistOwn(enc: EncodedEvent): Promise<void> {
    const record: StoredRecord = { id: enc.id, bytes: enc.bytes, author: enc.event.author, seq: enc.event.seq, lamport: enc.event.lamport, kind: enc.event.kind }
    const received = this.unsaved
    this.unsaved = []
    const inFlight = [...this.outstanding.values()].flat()
    const write = this.store.putMany(this.room, [...inFlight, ...received, record]).then(
      () => {
        this.persisted.add(enc.id)
        this.writes++
        this.storedCount += received.length + 1
      },
      (err: unknown) => {
        // The authored event exists nowhere; the received ones are in the replica and go back to be written.
        if (received.length > 0) this.requeue(received)
        throw err
      },
    )
    if (received.length > 0) this.track(write, received)
    return write
  }

  /** Calls `listener` after every change that reached the store; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Calls `listener` once events are folded into the replica, before the write of received ones
   * lands (and after the replay, and after each authored event): for showing the room, never for
   * acknowledging or forwarding anything (ADR 0067). Returns the unsubscribe function.
   */
  subscribeFolded(listener: () => void): () => void {
    this.foldedListeners.add(listener)
    return () => this.foldedListeners.delete(listener)
  }

  /**
   * Writes what is unsaved; resolves once the store holds it. Group commit: a write takes its
   * batch when the lane pauses (no add left, or its slice spent), so events arriving together —
   * concurrent gossip validators, one per message — cost one transaction instead of one each,
   * and it never waits for adds queued behind the current slice. Writes are pipelined: one goes
   * to the store without waiting for the previous one's answer (a store may land them in
   * another order: answers never depend on it), so an event waits for its own write, not for a
   * backlog's.
   * A caller's events may have been taken by an earlier write still out, so nobody is answered
   * before every write that was out when its batch was taken has landed, and a caller fails if
   * any of them failed.
   */
  private flush(): Promise<void> {
    if (this.nextFlush != null) return this.nextFlush
    const write = (async () => {
      await this.lane.paused()
      this.nextFlush = undefined
      const waits = [...this.outstanding.keys()]
      const batch = this.unsaved
      if (batch.length > 0) {
        this.unsaved = []
        waits.push(this.track(this.writeReceived(batch), batch))
      }
      for (const r of await Promise.allSettled(waits)) if (r.status === 'rejected') throw r.reason
    })()
    this.nextFlush = write
    write.catch(() => {
      if (this.nextFlush === write) this.nextFlush = undefined
    })
    return write
  }

  /** Writes received events relaxed; a failure puts them back to be written by a retry. */
  private async writeReceived(batch: StoredRecord[]): Promise<void> {
    try {
      // Received events only (authored ones are written strictly by persistOwn): their author
      // holds them durably and other peers hold copies, so a power loss costs a sync round,
      // not the event.
      await this.store.putMany(this.room, batch, { durability: 'relaxed' })
    } catch (err) {
      this.requeue(batch)
      throw err
    }
    this.retryMs = 0
    this.writes++
    this.storedCount += batch.length
    this.notify()
  }

  /** Counts `write` as outstanding until it settles (after a failed one has put its events back). */
  private track(write: Promise<void>, records: readonly StoredRecord[]): Promise<void> {
    this.outstanding.set(write, records)
    const done = () => void this.outstanding.delete(write)
    write.then(done, done)
    return write
  }

  /** Not stored: the events are in the replica, so they go back to be written by the next flush — which comes by itself, since nothing else may arrive to ask for one. */
  private requeue(batch: StoredRecord[]): void {
    this.unsaved = batch.concat(this.unsaved)
    this.retryLater()
  }

  /** Retries a failed write after a backoff (0.5 s doubling to 30 s) until one succeeds. */
  private retryLater(): void {
    if (this.retryTimer != null || this.closed) return
    this.retryMs = Math.min(30_000, Math.max(500, this.retryMs * 2))
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      // A failure schedules the next retry from within the write.
      this.flush().catch(() => undefined)
    }, this.retryMs)
  }

  private notify(): void {
    for (const l of this.listeners) l()
  }

  private notifyFolded(): void {
    for (const l of this.foldedListeners) l()
  }
}
