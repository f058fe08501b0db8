/**
 * A duty loop: runs a task after every replica change (coalesced) and on a timer (for
 * time-based duties such as grace periods), never two runs at once.
 */

/** Runs `task` on `kick()` and every `intervalMs`; overlapping kicks collapse into one rerun. */
export class DutyLoop {
  private timer?: ReturnType<typeof setInterval>
  private running = false
  private again = false
  private started = false
  private stopped = false

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.started = true
    this.timer = setInterval(() => this.kick(), this.intervalMs)
    this.kick()
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.timer)
  }

  /** Asks for a run soon (none before `start()`); if one is in progress, one more follows it. */
  kick(): void {
    if (!this.started || this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    setTimeout(() => void this.loop(), 0)
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false
        if (this.stopped) return
        await this.task().catch(this.onError)
      } while (this.again)
    } finally {
      this.running = false
    }
  }
}
