/**
 * A lower CPU priority for a child process (ADR 0095): `start --demo` runs the demo's agents
 * beside the relay that serves everyone, on the same machine, and on a small one the relay
 * must answer first. Linux applies a nice value per thread, so every thread the child has is
 * lowered (threads it starts later inherit the value of the thread that starts them).
 */
import { readdirSync } from 'node:fs'
import { constants, getPriority, setPriority } from 'node:os'

/** The nice value the demo's agents run at (19 is the lowest priority). */
export const DEMO_NICE = 10

/** The thread ids of `pid` (Linux), or just `pid` where /proc has none. */
function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).filter(Number.isInteger)
  } catch {
    return [pid]
  }
}

/**
 * Sets every thread of `pid` to nice `nice` at least (never raises a priority); returns how many
 * were lowered. A process that has exited, or a thread gone meanwhile, is skipped.
 */
export function lowerPriority(pid: number, nice = DEMO_NICE): number {
  const target = Math.min(nice, constants.priority.PRIORITY_LOW)
  let lowered = 0
  for (const tid of threadsOf(pid)) {
    try {
      if (getPriority(tid) >= target) continue
      setPriority(tid, target)
      lowered++
    } catch {
      // The thread or process is gone: nothing to lower.
    }
  }
  return lowered
}
