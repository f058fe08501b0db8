/**
 * Lets callers through a few per turn of the event loop. Gossip validators whose events joined
 * one group-commit write all resume together when it resolves, and gossipsub then forwards each
 * of their events to every subscriber: without pacing, a backlog of hundreds of events is one
 * task of thousands of sends. `pass()` resolves at once for the first `perTurn` callers of a
 * turn (a lone event never waits); later ones queue and are released `perTurn` per turn, so
 * I/O — HTTP, other sockets, timers — runs in between. `perTurn` adapts so that the work the
 * released callers do (measured from one release to the next turn) stays near a slice.
 * Callers name a key (the event's author): a turn's releases go round the keys that wait, one
 * each in turn, and a key with nobody waiting that has not passed yet this turn passes at once,
 * so one author's backlog never holds another author's lone event back at all (at most one
 * such pass per author per turn: the members of a room are few); within a key, callers go in
 * the order they came.
 */
import { SLICE_MS } from './slice'
import { nextTurn } from './turn'

/** See the module comment. */
export class Pacer {
  /** Waiting callers per key, and the keys in the order they are served. */
  private readonly waiting = new Map<string, Array<() => void>>()
  private readonly order: string[] = []
  private count = 0
  private passedThisTurn = 0
  /** Keys that passed in this turn (reset with `passedThisTurn`). */
  private readonly passedKeys = new Set<string>()
  private resetScheduled = false
  private draining = false
  private releasedAt = 0
  /** Callers let through per turn (adapts between 1 and 64). */
  perTurn = 8
  /** Callers that had to wait for a later turn (for tests and metrics). */
  deferred = 0

  constructor(
    private readonly sliceMs = SLICE_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly turn: (fn: () => void) => void = (fn) => void nextTurn().then(fn),
  ) {}

  /** Resolves when the caller may go on: at once for the first few of a turn, else on a later turn. */
  pass(key = ''): Promise<void> {
    const quiet = this.count === 0 && !this.draining && this.passedThisTurn < this.perTurn
    if (quiet || (!this.waiting.has(key) && !this.passedKeys.has(key))) {
      if (this.passedThisTurn++ === 0) this.scheduleReset()
      this.passedKeys.add(key)
      return Promise.resolve()
    }
    this.deferred++
    return new Promise<void>((resolve) => {
      const q = this.waiting.get(key)
      if (q != null) q.push(resolve)
      else {
        this.waiting.set(key, [resolve])
        this.order.push(key)
      }
      this.count++
      if (!this.draining) {
        this.draining = true
        this.releasedAt = this.now()
        this.turn(() => this.drain())
      }
    })
  }

  private scheduleReset(): void {
    if (this.resetScheduled) return
    this.resetScheduled = true
    this.turn(() => {
      this.resetScheduled = false
      this.passedThisTurn = 0
      this.passedKeys.clear()
    })
  }

  /** Releases the next few waiters, sized by how long the previous release's work took. */
  private drain(): void {
    const spent = this.now() - this.releasedAt
    this.perTurn = Math.max(1, Math.min(64, Math.round((this.perTurn * this.sliceMs) / Math.max(1, spent))))
    for (let n = 0; n < this.perTurn && this.count > 0; n++) {
      const key = this.order.shift() as string
      const q = this.waiting.get(key) as Array<() => void>
      const resolve = q.shift() as () => void
      this.count--
      if (q.length > 0) this.order.push(key)
      else this.waiting.delete(key)
      this.passedKeys.add(key)
      this.scheduleReset()
      resolve()
    }
    this.releasedAt = this.now()
    if (this.count > 0) this.turn(() => this.drain())
    else this.draining = false
  }
}
