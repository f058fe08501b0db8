/**
 * Incremental fold with checkpoints (ADR 0006, ADR 0062). Events are folded in (lamport, id)
 * order. Most arrivals sort at the tail and cost one reduce; a late event that sorts earlier (or
 * a newly discovered equivocation) rewinds to the last checkpoint before it and replays, so the
 * state is always exactly the fold of the sorted set.
 *
 * A checkpoint is not a copy of the state but an undo journal (journal.ts): the reducer writes
 * copy-on-write, so a checkpoint holds only what changed after it. Checkpoints are dense at the
 * tail and thin out with age (two neighbouring undos merge into one): a late event that sorts
 * `d` events before the tail replays about `d + d / spread` events, not the whole distance back
 * to a checkpoint spaced for the room's size, while the number of checkpoints grows with the
 * logarithm of the room. An event older than every kept checkpoint replays from the empty state.
 *
 * Replays are lazy: a late event only marks where the fold must resume, and the replay runs
 * when the state is next read. A burst of late events (a sync batch, a gossip backlog of copies
 * authored by a peer that was behind) then costs one replay from the earliest of them instead of
 * one per event, since nothing reads the state between the adds of a burst.
 */
import { EVERYTHING_COUNTS, type AuthorityFacts } from '../authority/authority'
import type { AnyEvent } from '../events/envelope'
import type { PeerId, RoomId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { initialState } from './initial'
import { absorb, Journal, rollback, type Undo } from './journal'
import { insertionIndex } from './order'
import { readOnce, reduce } from './reducer'
import type { RoomState } from './types'

/** Distance between checkpoints at the tail, in folded events. */
export const CHECKPOINT_EVERY = 16
/**
 * Thinning: the checkpoint between two others goes once the span they would enclose is at most
 * 1/CHECKPOINT_SPREAD of the events folded after it. The tail keeps a checkpoint every
 * CHECKPOINT_EVERY events; further back spans grow in proportion to their distance from the tail.
 */
export const CHECKPOINT_SPREAD = 2
/**
 * Checkpoints kept at most (the oldest go first): with the defaults thinning keeps 19 at 5k
 * folded events and 27 at 50k (it grows with the logarithm), so this only bounds a fold whose
 * options turn thinning off.
 */
export const CHECKPOINT_KEEP = 48
/**
 * Events the fold keeps read (the envelope with its payload decoded, `readOnce`) for the last
 * events in fold order: the log keeps a folded plan's or message's payload only as bytes and
 * decodes it again on every read (ADR 0066), and replays walk the tail again and again, so
 * without these each replay decodes and parses the same recent events anew.
 */
export const PAYLOADS_KEPT = 2048

/** Checkpoint spacing and count (tests shrink them to put rewinds in play). */
export interface FoldOptions {
  every?: number
  spread?: number
  keep?: number
}

interface Checkpoint {
  /** Number of events folded when it was taken. */
  folded: number
  /** The undo of every change made after it (until the next checkpoint). */
  undo: Undo
}

/** The state folded from a growing set of stored events, in (lamport, id) order. */
export class Fold {
  private readonly order: StoredEvent[] = []
  private current: RoomState
  /** Oldest first; the empty state (folded 0) is implicit. */
  private readonly checkpoints: Checkpoint[] = []
  private readonly journal = new Journal()
  private readonly quarantine = new Map<PeerId, number>()
  private readonly every: number
  private readonly spread: number
  private readonly keep: number
  private rewinds = 0
  private replayed = 0
  /** Events read for folding (`readOnce`), oldest first: those near the tail (PAYLOADS_KEPT). */
  private readonly readEvents = new Map<StoredEvent, AnyEvent>()
  /** Index in `order` from which the state is stale (a replay is owed), or null when it is current. */
  private staleFrom: number | null = null

  constructor(
    private readonly room: RoomId,
    opts: FoldOptions = {},
    private readonly facts: AuthorityFacts = EVERYTHING_COUNTS,
  ) {
    this.current = initialState(room)
    this.every = Math.max(1, opts.every ?? CHECKPOINT_EVERY)
    this.spread = opts.spread ?? CHECKPOINT_SPREAD
    this.keep = Math.max(1, opts.keep ?? CHECKPOINT_KEEP)
  }

  /** The folded state (runs the replay late events owe). Treat as read-only. */
  get state(): RoomState {
    this.settle()
    return this.current
  }

  /** How many times late events forced a replay (for metrics and tests). */
  get rewindCount(): number {
    this.settle()
    return this.rewinds
  }

  /** How many events rewinds have folded again, in all (the CPU a late event costs). */
  get replayedCount(): number {
    this.settle()
    return this.replayed
  }

  /** Checkpoints held now (for tests: thinning bounds them). */
  get checkpointCount(): number {
    return this.checkpoints.length
  }

  /** True while late events have marked a replay that no read has run yet. */
  get replayOwed(): boolean {
    return this.staleFrom != null
  }

  /**
   * Insert a newly stored event. `changed`: already-folded events whose authority verdict
   * changed with it; the fold replays from the earliest of them.
   */
  insert(e: StoredEvent, changed: readonly StoredEvent[] = []): void {
    const at = insertionIndex(this.order, e)
    this.order.splice(at, 0, e)
    const from = Math.min(at, this.indexOfFirst(changed))
    // Owing a replay from `staleFrom`, the state is the fold of the events before it, which an
    // insert at or after it does not move: the owed replay covers the new event too.
    if (this.staleFrom == null && from === this.order.length - 1) return this.step(from)
    this.staleFrom = Math.min(this.staleFrom ?? from, from)
    // Folded later, by the owed replay: the log drops a bulky kind's decoded payload once every
    // listener has seen the event, and the replay would decode and parse it again.
    this.readFor(e)
  }

  /** Replays from the earliest of `changed` (folded events whose authority verdict changed), when the state is next read. */
  revise(changed: readonly StoredEvent[]): void {
    const from = this.indexOfFirst(changed)
    if (from < this.order.length) this.staleFrom = Math.min(this.staleFrom ?? from, from)
  }

  /** Runs the replay owed, if any. */
  private settle(): void {
    if (this.staleFrom == null) return
    const from = this.staleFrom
    this.staleFrom = null
    this.replayFrom(from)
  }

  private indexOfFirst(events: readonly StoredEvent[]): number {
    let first = this.order.length
    for (const e of events) {
      const i = insertionIndex(this.order, e)
      if (this.order[i] === e) first = Math.min(first, i)
    }
    return first
  }

  /** An author equivocated from `fromSeq`: its events from there on stop counting. */
  quarantineAuthor(author: PeerId, fromSeq: number): void {
    this.settle()
    this.quarantine.set(author, fromSeq)
    const first = this.order.findIndex((e) => e.event.author === author && e.event.seq >= fromSeq)
    if (first >= 0) this.replayFrom(first)
    else this.journal.set(this.current.quarantined, author, fromSeq)
  }

  private step(index: number): void {
    // An event of an author cut off before it leaves no trace at all, not even a count.
    const e = this.order[index]
    if (this.facts.counts(e)) reduce(this.current, e, this.journal, this.facts, this.readFor(e, index))
    const folded = index + 1
    const last = this.checkpoints.length ? this.checkpoints[this.checkpoints.length - 1].folded : 0
    if (folded - last >= this.every) {
      this.checkpoints.push({ folded, undo: this.journal.begin(this.current) })
      this.thin(folded)
    }
  }

  /**
   * Drops each checkpoint whose neighbours would enclose a span of at most 1/spread of the events
   * folded after it, merging its undo into the older neighbour's; never the newest, whose undo is
   * the journal's open one. Then at most `keep` remain: dropping the oldest frees its journal,
   * and the one after it already holds the state since.
   */
  private thin(folded: number): void {
    const cps = this.checkpoints
    for (let j = 0; j < cps.length - 1; ) {
      const before = j === 0 ? 0 : cps[j - 1].folded
      const after = cps[j + 1].folded
      if ((after - before) * this.spread > folded - after) {
        j++
        continue
      }
      if (j > 0) absorb(cps[j - 1].undo, cps[j].undo)
      cps.splice(j, 1)
    }
    if (cps.length > this.keep) cps.splice(0, cps.length - this.keep)
  }

  /**
   * `e` read for folding, kept while it is among the last PAYLOADS_KEPT in fold order. A replay
   * from further back reads the older events without keeping them: kept, each would push out a
   * tail event the same replay reads next, and a replay longer than the cache would miss on
   * every event.
   */
  private readFor(e: StoredEvent, index = this.order.length - 1): AnyEvent {
    const kept = this.readEvents.get(e)
    if (kept !== undefined) return kept
    const read = readOnce(e.event)
    if (index < this.order.length - PAYLOADS_KEPT) return read
    this.readEvents.set(e, read)
    if (this.readEvents.size > PAYLOADS_KEPT) this.readEvents.delete(this.readEvents.keys().next().value as StoredEvent)
    return read
  }

  private replayFrom(index: number): void {
    this.rewinds++
    // Undo, newest first, every checkpoint's changes back to the last one taken at or before `index`.
    let start = 0
    while (this.checkpoints.length) {
      const top = this.checkpoints[this.checkpoints.length - 1]
      if (top.folded <= index) {
        rollback(this.current, top.undo)
        start = top.folded
        top.undo = this.journal.begin(this.current)
        break
      }
      this.checkpoints.pop()
      // Undoing is only worth it if a checkpoint at or before `index` is left to stop at.
      if (this.checkpoints.length && this.checkpoints[0].folded <= index) rollback(this.current, top.undo)
    }
    if (start === 0) {
      this.checkpoints.length = 0
      this.journal.close()
      this.current = initialState(this.room)
    }
    // Quarantine is a property of the whole set (the evidence is in it), so it applies from the start.
    for (const [a, s] of this.quarantine) this.journal.set(this.current.quarantined, a, s)
    this.replayed += this.order.length - start
    for (let i = start; i < this.order.length; i++) this.step(i)
  }
}
