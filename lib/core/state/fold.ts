/**
 * Incremental fold with checkpoints (ADR 0006). Events are folded in (lamport, id) order.
 * Most arrivals sort at the tail and cost one reduce; a late event that sorts earlier (or a
 * newly discovered equivocation) rewinds to the last checkpoint before it and replays, so the
 * state is always exactly the fold of the sorted set.
 */
import type { PeerId, RoomId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { initialState } from './initial'
import { insertionIndex } from './order'
import { reduce } from './reducer'
import type { RoomState } from './types'

/** Minimum distance between checkpoints, in folded events. */
export const CHECKPOINT_EVERY = 64
/**
 * Checkpoints are spaced by max(CHECKPOINT_EVERY, folded / CHECKPOINT_SPREAD): cloning the
 * state costs O(state), so a fixed spacing would make a long replay quadratic, while late
 * events almost always land near the tail.
 */
export const CHECKPOINT_SPREAD = 16

interface Checkpoint {
  /** Number of events folded into `state`. */
  folded: number
  state: RoomState
}

/** The state folded from a growing set of stored events, in (lamport, id) order. */
export class Fold {
  private readonly order: StoredEvent[] = []
  private current: RoomState
  private readonly checkpoints: Checkpoint[]
  private readonly quarantine = new Map<PeerId, number>()
  private rewinds = 0

  constructor(room: RoomId) {
    this.current = initialState(room)
    this.checkpoints = [{ folded: 0, state: structuredClone(this.current) }]
  }

  /** The folded state. Treat as read-only. */
  get state(): RoomState {
    return this.current
  }

  /** How many times a late event forced a replay (for metrics and tests). */
  get rewindCount(): number {
    return this.rewinds
  }

  /** Insert a newly stored event. */
  insert(e: StoredEvent): void {
    const at = insertionIndex(this.order, e)
    this.order.splice(at, 0, e)
    if (at === this.order.length - 1) this.step(at)
    else this.replayFrom(at)
  }

  /** An author equivocated from `fromSeq`: its events from there on stop counting. */
  quarantineAuthor(author: PeerId, fromSeq: number): void {
    this.quarantine.set(author, fromSeq)
    const first = this.order.findIndex((e) => e.event.author === author && e.event.seq >= fromSeq)
    if (first >= 0) this.replayFrom(first)
    else this.current.quarantined.set(author, fromSeq)
  }

  private step(index: number): void {
    reduce(this.current, this.order[index])
    const folded = index + 1
    const last = this.checkpoints[this.checkpoints.length - 1].folded
    if (folded - last >= Math.max(CHECKPOINT_EVERY, Math.floor(folded / CHECKPOINT_SPREAD))) {
      this.checkpoints.push({ folded, state: structuredClone(this.current) })
    }
  }

  private replayFrom(index: number): void {
    this.rewinds++
    // Keep only checkpoints taken before the changed position.
    while (this.checkpoints[this.checkpoints.length - 1].folded > index) this.checkpoints.pop()
    const start = this.checkpoints[this.checkpoints.length - 1]
    this.current = structuredClone(start.state)
    // Quarantine is a property of the whole set (the evidence is in it), so it applies from the start.
    for (const [a, s] of this.quarantine) this.current.quarantined.set(a, s)
    for (let i = start.folded; i < this.order.length; i++) this.step(i)
  }
}
