/**
 * Which gossip adds may go past the replica host's lane. The lane runs adds first come, first
 * served and yields the event loop between slices; behind one author's backlog (a flood's
 * admitted burst, a lane of author-lanes.ts per forwarder) another author's lone event waited
 * for the backlog's slice and then a turn of the loop, at every hop it took. An add whose
 * author has nothing in the lane goes past it at once — at most one per author and `perTurn`
 * in all per turn of the loop, so a sender naming many authors (the name is read from the
 * header, unverified) cannot turn the lane's short slices into one long task. An author with
 * an add in the lane waits in it, so one author's events are still added in the order they came.
 */
import { nextTurn } from './turn'

/** See the module comment. */
export class LonePass {
  private readonly inLane = new Map<string, number>()
  private readonly passed = new Set<string>()
  private resetScheduled = false
  /** Adds let past the lane so far (for tests and metrics). */
  passes = 0

  constructor(
    private readonly perTurn = 4,
    private readonly turn: (fn: () => void) => void = (fn) => void nextTurn().then(fn),
  ) {}

  /** True if an add of `author` may skip the lane now; counts it against this turn's passes. */
  take(author: string): boolean {
    if (this.inLane.has(author) || this.passed.has(author) || this.passed.size >= this.perTurn) return false
    this.passed.add(author)
    this.passes++
    if (!this.resetScheduled) {
      this.resetScheduled = true
      this.turn(() => {
        this.resetScheduled = false
        this.passed.clear()
      })
    }
    return true
  }

  /** Counts `author` as having an add in the lane until `add` settles; returns `add`. */
  track<T>(author: string, add: Promise<T>): Promise<T> {
    this.inLane.set(author, (this.inLane.get(author) ?? 0) + 1)
    const done = () => {
      const left = (this.inLane.get(author) ?? 1) - 1
      if (left > 0) this.inLane.set(author, left)
      else this.inLane.delete(author)
    }
    add.then(done, done)
    return add
  }
}
