/**
 * An HTTP prober: asks `url` every `everyMs`, one request at a time, each with a time-out, and
 * keeps every latency — what a supervisor's health check or a tab's `/api/room` sees.
 */

/** Latencies (ms), a time-out counted as its full wait, and how many timed out or failed. */
export interface ProbeStats {
  count: number
  timeouts: number
  failures: number
  p50: number
  p99: number
  max: number
  /** Probes that took longer than the prober's `slowMs`, as [wall start ms, latency ms]. */
  slow: Array<[number, number]>
}

/** See the module comment; `stop()` ends it and returns the figures. */
export class Prober {
  private readonly latencies: number[] = []
  private readonly slow: Array<[number, number]> = []
  private timeouts = 0
  private failures = 0
  private running = true
  private readonly done: Promise<void>

  constructor(
    private readonly url: string,
    private readonly everyMs: number,
    private readonly timeoutMs = 10_000,
    private readonly slowMs = 250,
  ) {
    this.done = this.loop()
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const t = performance.now()
      const wall = Date.now()
      try {
        const r = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs) })
        await r.arrayBuffer()
        if (r.ok) this.latencies.push(performance.now() - t)
        else this.failures++
      } catch (err) {
        // A time-out counts in the percentiles as the whole wait: that is what the caller felt.
        if ((err as Error).name === 'TimeoutError') (this.timeouts++, this.latencies.push(this.timeoutMs))
        else this.failures++
      }
      const took = performance.now() - t
      if (took > this.slowMs) this.slow.push([wall, Math.round(took)])
      const left = this.everyMs - (performance.now() - t)
      if (left > 0 && this.running) await new Promise((r) => setTimeout(r, left))
    }
  }

  async stop(): Promise<ProbeStats> {
    this.running = false
    await this.done
    const s = [...this.latencies].sort((a, b) => a - b)
    const at = (p: number) => (s.length === 0 ? Number.NaN : Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10)
    return { count: s.length + this.failures, timeouts: this.timeouts, failures: this.failures, p50: at(0.5), p99: at(0.99), max: at(1), slow: this.slow }
  }
}

/**
 * How many slow probes a stall of the server's event loop covers: a probe is explained by the
 * loop when stalls overlapping it (as [wall start ms, length ms, …]) add up to at least half
 * its latency; the rest waited on something else (the prober's own process, the network).
 */
export function slowExplained(slow: ReadonlyArray<readonly [number, number]>, stalls: ReadonlyArray<readonly [number, number, ...number[]]>): { slow: number; byLoop: number } {
  let byLoop = 0
  for (const [start, ms] of slow) {
    let covered = 0
    for (const [s, len] of stalls) covered += Math.max(0, Math.min(start + ms, s + len) - Math.max(start, s))
    if (covered * 2 >= ms) byLoop++
  }
  return { slow: slow.length, byLoop }
}
