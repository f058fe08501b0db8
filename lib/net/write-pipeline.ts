/**
 * The host's writes to its store (ADR 0067, ADR 0093): received events, once the replica has
 * stored them, are written relaxed by group commit — one write takes every event gathered while
 * the lane ran — and writes are pipelined, so an event waits for its own write, not for a
 * backlog's. An authored event is written strictly, at once, before it enters the replica,
 * with every received event not yet known written. A failed write puts its events back and a
 * retry (0.5 s doubling to 30 s) writes them, since nothing else may arrive to ask for one.
 */
import type { EncodedEvent } from '../core/events/envelope'
import type { RoomId } from '../core/ids'
import type { EventStore, StoredRecord } from '../storage/event-store'

export interface WritePipelineInit {
  room: RoomId
  store: EventStore
  /** The lane the adds run in: a write takes its batch when it pauses (slice.ts). */
  lane: { paused(): Promise<void> }
  /** Called after each write of received events lands. */
  onWritten: () => void
}

/** See the module comment. */
export class WritePipeline {
  /** Stored by the replica, not yet by the store. */
  private unsaved: StoredRecord[] = []
  /** Authored events already written, about to be added (their add must not write them again). */
  private readonly persisted = new Set<string>()
  /** The next write, while it has not yet taken its batch: later callers join it. */
  private nextFlush?: Promise<void>
  /** Writes out, with the received records each carries (an authored event's write repeats them). */
  private readonly outstanding = new Map<Promise<void>, readonly StoredRecord[]>()
  /** Store writes so far (group commit: events per write). */
  writes = 0
  /** Events written since start (not counting the replay). */
  storedCount = 0
  private retryTimer?: ReturnType<typeof setTimeout>
  private retryMs = 0
  private closed = false

  constructor(private readonly init: WritePipelineInit) {}

  /** True (once) if `id` is an authored event this pipeline has already written. */
  takeWritten(id: string): boolean {
    return this.persisted.delete(id)
  }

  /** Queues a received event the replica has stored; `flush` writes it. */
  queue(record: StoredRecord): void {
    this.unsaved.push(record)
  }

  /**
   * Writes one authored event at once (not grouped: the UI waits for it), with whatever received
   * events are folded and not yet known written — unsaved, or in a write still out, which may
   * yet fail — in the same strict transaction, so the store never holds an authored event
   * without what it was written after. Stores keep a record already held as it is, so the
   * repeat costs bytes, not correctness.
   */
  writeOwn(enc: EncodedEvent): Promise<void> {
    const record: StoredRecord = { id: enc.id, bytes: enc.bytes, author: enc.event.author, seq: enc.event.seq, lamport: enc.event.lamport, kind: enc.event.kind }
    const received = this.unsaved
    this.unsaved = []
    const inFlight = [...this.outstanding.values()].flat()
    const write = this.init.store.putMany(this.init.room, [...inFlight, ...received, record]).then(
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
  flush(): Promise<void> {
    if (this.nextFlush != null) return this.nextFlush
    const write = (async () => {
      await this.init.lane.paused()
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

  /** Stops the retry timer (the peer is shutting down). */
  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
  }

  /** Writes received events relaxed; a failure puts them back to be written by a retry. */
  private async writeReceived(batch: StoredRecord[]): Promise<void> {
    try {
      // Received events only (authored ones are written strictly by writeOwn): their author
      // holds them durably and other peers hold copies, so a power loss costs a sync round,
      // not the event.
      await this.init.store.putMany(this.init.room, batch, { durability: 'relaxed' })
    } catch (err) {
      this.requeue(batch)
      throw err
    }
    this.retryMs = 0
    this.writes++
    this.storedCount += batch.length
    this.init.onWritten()
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
}
