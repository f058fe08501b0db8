/**
 * Cooperative time slicing for work that arrives in bursts: a gossip backlog runs hundreds of
 * validations in one microtask storm, a sync batch ingests 256 events. `run(task)` runs tasks
 * one at a time and, once the current slice has lasted `sliceMs`, waits a macrotask before
 * the next, so HTTP requests, timers and other sockets get the event loop in between. A task
 * that starts after the loop has been free of these tasks for a slice's length starts a new
 * slice at once, so a lone event never waits.
 */
import { nextTurn } from './turn'

/** Default slice: well under the 100 ms a request may wait, and a few frames in a tab. */
export const SLICE_MS = 10

const noop = (): void => {}

/** See the module comment. */
export class TimeSlicer {
  private tail: Promise<void> = Promise.resolve()
  private sliceStart = Number.NEGATIVE_INFINITY
  private lastEnd = Number.NEGATIVE_INFINITY
  /** Tasks given to `run` and not finished. */
  private waiting = 0
  private yielding = false
  private pauseWaiters: Array<() => void> = []
  /** Macrotasks waited so far (for tests and metrics). */
  yields = 0

  constructor(
    readonly sliceMs = SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Resolves the next time the lane stops running tasks — none is left, or the slice is spent
   * and it yields — so that work gathered from the tasks (a group commit) goes out in the same
   * turn as they ran, and never waits for tasks queued behind the slice.
   */
  paused(): Promise<void> {
    if (this.waiting === 0 || this.yielding) return Promise.resolve()
    return new Promise((resolve) => this.pauseWaiters.push(resolve))
  }

  /** Milliseconds the current slice has lasted: a task of several steps stops once it reaches `sliceMs`. */
  elapsed(): number {
    return this.now() - this.sliceStart
  }

  /** Runs `task` after the tasks queued before it, yielding the loop first if the slice is spent. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++
    const result = this.tail.then(async () => {
      const t = this.now()
      if (t - this.lastEnd >= this.sliceMs) this.sliceStart = t
      else if (t - this.sliceStart >= this.sliceMs) {
        this.yielding = true
        this.pause()
        await nextTurn()
        this.yielding = false
        this.yields++
        this.sliceStart = this.now()
      }
      try {
        return await task()
      } finally {
        this.lastEnd = this.now()
        if (--this.waiting === 0) this.pause()
      }
    })
    this.tail = result.then(noop, noop)
    return result
  }

  private pause(): void {
    const waiters = this.pauseWaiters
    this.pauseWaiters = []
    for (const resolve of waiters) resolve()
  }
}
