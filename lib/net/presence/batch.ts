/**
 * Releases its waiters together, at most once per window. A hub forwards every beat it accepts
 * to every subscriber, and gossipsub forwards a message when its validator's verdict resolves:
 * beats reach a hub one by one, so each would cost a write to every subscriber. A hub's
 * validator awaits `wait()` before answering Accept, so the beats of a window resolve in one
 * task and their forwards to each peer leave as one write (a hub coalesces a task's writes per
 * peer). Beats are judged in whole intervals (seconds), so a window of a fraction of one
 * delays no verdict on anyone's liveness.
 */
export class Batch {
  private waiters: Array<() => void> = []
  private timer?: ReturnType<typeof setTimeout>

  constructor(private readonly windowMs: number) {}

  /** Resolves with every other waiter of the window, at most `windowMs` from the first. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve)
      this.timer ??= setTimeout(() => this.release(), this.windowMs)
    })
  }

  /** Waiters in the current window. */
  get pending(): number {
    return this.waiters.length
  }

  /** Releases everyone waiting now (a stop does not leave a validator hanging). */
  release(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const ready = this.waiters
    this.waiters = []
    for (const r of ready) r()
  }
}
