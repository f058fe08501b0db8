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
import { WritePipeline } from './write-pipeline'

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
/** Adds at most between two looks at the lane's clock in a multi-event ingest. */
const MAX_STEP = 16

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
  /** The store writes: group commit of received events, authored ones at once (write-pipeline.ts). */
  private readonly writer: WritePipeline
  private replaying = false
  private readonly listeners = new Set<() => void>()
  private readonly foldedListeners = new Set<() => void>()
  /** Events the log has kept, replay included: what tells an ingest that the state changed. */
  private storedTotal = 0
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
    this.writer = new WritePipeline({ room: init.room, store: init.store, lane: this.lane, onWritten: () => this.notify() })
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
        // An authored event was written before it was added (writeOwn).
        if (!this.writer.takeWritten(e.id) && !this.replaying) {
          this.writer.queue(toRecord(e))
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
    if (events.length === 1) results[0] = this.held(events[0], await this.add(events[0]))
    else for (let i = 0; i < events.length; ) i = await this.lane.run(() => this.addRun(events, i, results))
    // Whatever the log kept (accepted events, equivocation evidence that quarantines its author) changed the state.
    if (this.storedTotal > storedBefore) this.notifyFolded()
    await this.writer.flush()
    return results
  }

  /**
   * One event (a gossip message). A sync batch or a gossip backlog (one ingest per message, all
   * at once) must not starve the relay's HTTP and the other sockets: adds go through the lane,
   * which yields between slices. A gossiped event whose author has nothing in the lane goes past
   * it (lone-pass.ts).
   */
  private add(bytes: Uint8Array): Promise<AddResult> {
    const author = peekHeader(bytes)?.author
    if (author == null) return this.lane.run(() => this.replica.add(bytes))
    if (this.lone.take(author)) return this.replica.add(bytes)
    return this.lone.track(author, this.lane.run(() => this.replica.add(bytes)))
  }

  /** Store writes so far (group commit: events per write). */
  get writes(): number {
    return this.writer.writes
  }

  /** Events this host has stored since start (not counting the replay). */
  get storedCount(): number {
    return this.writer.storedCount
  }

  /**
   * Adds `events` from `from` on, in order, as one task of the lane until its slice is spent;
   * returns where it stopped. One task per event would cost the lane's promises and two clock
   * reads per event (a read costs µs in a tab), so the clock is read when about half of what is
   * left of the slice should have passed at the pace so far, at most every {@link MAX_STEP} adds.
   */
  private async addRun(events: readonly Uint8Array[], from: number, results: AddResult[]): Promise<number> {
    const { lane } = this
    let i = from
    let look = from + 1
    while (i < events.length) {
      results[i] = this.held(events[i], await this.replica.add(events[i]))
      i++
      if (i < look) continue
      const used = lane.elapsed()
      if (used >= lane.sliceMs) break
      // The slice's time so far over this run's adds: an overestimate of the pace, so never a look too late.
      look = i + Math.max(1, Math.min(MAX_STEP, Math.floor(((lane.sliceMs - used) * (i - from)) / (2 * used))))
    }
    return i
  }

  /** Holds an event stamped too far ahead until it is due (future-hold.ts); returns `r`. */
  private held(bytes: Uint8Array, r: AddResult): AddResult {
    if (r.status === 'rejected' && r.reason === 'clock_ahead') this.future.offer(bytes, r.id)
    return r
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
    this.future.close()
    this.writer.close()
  }

  /**
   * Authors an event as `signer`; resolves once it is durable (then the caller may publish it).
   * It is written before it enters the replica: if the write fails, the call rejects and the
   * event exists nowhere (no sync round serves it, no retry writes it later).
   */
  async author<K extends EventKind>(signer: Signer, kind: K, payload: PayloadInput<K>): Promise<EncodedEvent> {
    const enc = await this.replica.author(signer, kind, payload, (e) => this.writer.writeOwn(e))
    this.notifyFolded()
    this.notify()
    return enc
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

  private notify(): void {
    for (const l of this.listeners) l()
  }

  private notifyFolded(): void {
    for (const l of this.foldedListeners) l()
  }
}
