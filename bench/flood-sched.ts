/**
 * Which process was running, and which was runnable but waiting for a core, while a slow honest
 * event of the flood benchmark was on its way: the main thread's `/proc/<pid>/schedstat` (ns on
 * a CPU, ns waiting on the run queue) of every peer, the attacker and this process, sampled every
 * few milliseconds. A process that neither ran nor waited in a window was idle: waiting on I/O,
 * a timer or a peer. Linux only; elsewhere the sampler reads nothing and reports nothing.
 */
import { readFileSync } from 'node:fs'
import { round } from './room'
import { wallNow } from './mesh'

/** A process to watch, by what the note calls it. */
export interface Watched {
  label: string
  pid: number
}

interface Sample {
  t: number
  /** Per watched process: [run ms, wait ms] so far, or undefined once it is gone. */
  at: ([number, number] | undefined)[]
}

/** Reads one main thread's run and run-queue wait so far (ms). */
function schedstat(pid: number): [number, number] | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number)
    return [run / 1e6, wait / 1e6]
  } catch {
    return undefined
  }
}

/** See the module comment. Bounded: it samples only between `start` and `stop`, and at most `maxSamples`. */
export class SchedSampler {
  private readonly samples: Sample[] = []
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly procs: readonly Watched[],
    private readonly everyMs = 5,
    private readonly maxSamples = 20_000,
  ) {}

  start(): void {
    if (this.timer != null || schedstat(process.pid) == null) return
    this.take()
    this.timer = setInterval(() => (this.samples.length < this.maxSamples ? this.take() : this.stop()), this.everyMs)
  }

  stop(): void {
    if (this.timer != null) clearInterval(this.timer)
    this.timer = undefined
  }

  private take(): void {
    this.samples.push({ t: wallNow(), at: this.procs.map((p) => schedstat(p.pid)) })
  }

  /** Each process's run and wait (ms) between the samples nearest `t0` and `t1` (wall ms); '' without samples. */
  window(t0: number, t1: number): string {
    const s = this.samples
    if (s.length < 2) return ''
    const nearest = (t: number) => s.reduce((best, x) => (Math.abs(x.t - t) < Math.abs(best.t - t) ? x : best))
    const a = nearest(t0)
    const b = nearest(t1)
    const parts = this.procs.map((p, i) => {
      const x = a.at[i]
      const y = b.at[i]
      if (x == null || y == null) return `${p.label} gone`
      return `${p.label} ${round(y[0] - x[0], 0)}/${round(y[1] - x[1], 0)}`
    })
    return `run/wait ms over ${round(b.t - a.t, 0)} ms: ${parts.join(', ')}`
  }
}
