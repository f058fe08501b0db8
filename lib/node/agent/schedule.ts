/**
 * A duty loop: runs a task after every replica change (coalesced) and on a timer (for
 * time-based duties such as grace periods), never two runs at once. Runs start at least
 * `minGapMs` apart: a run reads the whole room (what is due, who ranks first), and in a busy
 * room changes arrive many times a second, each of which would otherwise start one. A duty's
 * waits are seconds long (grace periods, turns), so starting a run a fraction of a second
 * later changes no outcome.
 */

/**
 * An agent's duty runs, and its reports to listeners, start at least this far apart (ms): each
 * walks the whole room (what is due, every session the agent is in), and a busy room changes many
 * times a second. Against grace periods of seconds, the delay does not change who emits.
 */
export const DUTY_GAP_MS = 200

/** Runs `task` on `kick()` and every `intervalMs` (null: on kicks only); overlapping kicks collapse into one rerun. */
export class DutyLoop {
  private timer?: ReturnType<typeof setInterval>
  private running = false
  private again = false
  private started = false
  private stopped = false
  private lastStart = -Infinity

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number | null,
    private readonly onError: (err: unknown) => void,
    private readonly minGapMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.started = true
    if (this.intervalMs != null) this.timer = setInterval(() => this.kick(), this.intervalMs)
    this.kick()
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.timer)
  }

  /** Asks for a run soon (none before `start()`); if one is in progress or waits, one more follows. */
  kick(): void {
    if (!this.started || this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    setTimeout(() => void this.loop(), this.gapLeft())
  }

  private gapLeft(): number {
    return Math.max(0, this.lastStart + this.minGapMs - this.now())
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false
        if (this.stopped) return
        this.lastStart = this.now()
        await this.task().catch(this.onError)
        if (this.again && this.gapLeft() > 0) await new Promise((r) => setTimeout(r, this.gapLeft()))
      } while (this.again)
    } finally {
      this.running = false
    }
  }
}
