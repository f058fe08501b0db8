/** How busy a bench process is, for the scale benchmarks' set-up profile. */
import { monitorEventLoopDelay } from 'node:perf_hooks'

/** A process's busy share of one core and its event loop's p99 delay since the last reading. */
export interface Load {
  cpu: number
  lagMs: number
}

/** Reads this process's `Load` (each call starts the next interval). */
export function loadMeter(): () => Load {
  const loop = monitorEventLoopDelay({ resolution: 20 })
  loop.enable()
  let cpu = process.cpuUsage()
  let at = performance.now()
  return () => {
    const used = process.cpuUsage(cpu)
    const ms = performance.now() - at
    const out = { cpu: Math.round(((used.user + used.system) / 1000 / Math.max(1, ms)) * 100) / 100, lagMs: Math.round(loop.percentile(99) / 1e6) }
    cpu = process.cpuUsage()
    at = performance.now()
    loop.reset()
    return out
  }
}
