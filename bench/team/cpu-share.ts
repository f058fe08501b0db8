/**
 * Where the machine's CPU went during a run: every process's CPU time (user + system, from
 * /proc) at the start and at the end, the difference summed by what the process is — the
 * relay, the workload's agents, the demo's agents, the web app, the tabs' browser, anything
 * else (other work on the machine). On a small machine a relay's event-loop stalls are mostly
 * the relay waiting for a core; this says who had the cores. Linux only (elsewhere: empty).
 */
import { readdirSync, readFileSync } from 'node:fs'

/** CPU seconds per process id, and each process's command line. */
export type CpuSnapshot = Map<number, { cmd: string; s: number }>

/** The kernel's clock ticks per second for /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100

/** Reads every process's CPU time so far. */
export function cpuSnapshot(): CpuSnapshot {
  const out: CpuSnapshot = new Map()
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return out
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const s = (Number(rest[11]) + Number(rest[12])) / TICKS
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      out.set(Number(pid), { cmd, s })
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out
}

/** What a process is, by its command line and the run's known process ids. */
export function groupOf(pid: number, cmd: string, known: { relay?: number; agents: readonly number[] }): string {
  if (pid === known.relay) return 'relay'
  if (known.agents.includes(pid)) return 'workload agents'
  if (/chorus-mesh\.js demo\b/.test(cmd)) return 'demo agents'
  if (/chrom(e|ium)/.test(cmd)) return 'tabs (browser)'
  if (/next-server|next\/dist\/bin\/next|next start/.test(cmd)) return 'web app'
  return 'other'
}

/** CPU seconds used between two snapshots, per group (a process that started in between counts from zero). */
export function cpuShare(before: CpuSnapshot, after: CpuSnapshot, known: { relay?: number; agents: readonly number[] }): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [pid, { cmd, s }] of after) {
    const used = s - (before.get(pid)?.s ?? 0)
    if (used <= 0) continue
    const g = groupOf(pid, cmd, known)
    out[g] = Math.round(((out[g] ?? 0) + used) * 10) / 10
  }
  return out
}
