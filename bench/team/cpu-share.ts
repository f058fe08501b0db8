/**
 * Where the machine's CPU went during a run: every process's CPU time (user + system, from
 * /proc) at the start and at the end, the difference summed by what the process is — the
 * relay, the workload's agents, the demo's agents, the web app, the tabs' browser, the bench's
 * own process (its probes and the browser's driver), anything else (other work on the
 * machine). On a small machine a relay's event-loop stalls are mostly the relay waiting for a
 * core; this says who had the cores. Linux only (elsewhere: empty).
 */
import { readdirSync, readFileSync } from 'node:fs'

/** CPU seconds per process id, each process's command line, parent, and (main thread's) nice value. */
export type CpuSnapshot = Map<number, { cmd: string; s: number; ppid?: number; nice?: number }>

/** The run's processes: the relay's and the agents' ids, and the process everything the run started descends from. */
export interface Known {
  relay?: number
  agents: readonly number[]
  /** When set, a process that does not descend from it is another's work on the machine ("other"), whatever its command. */
  root?: number
}

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
      // Fields after the command's closing parenthesis: state is field 3, ppid 4, utime 14, stime 15, nice 19.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const s = (Number(rest[11]) + Number(rest[12])) / TICKS
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      out.set(Number(pid), { cmd, s, ppid: Number(rest[1]), nice: Number(rest[16]) })
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out
}

/** True when `pid` is `root` or one of its descendants, by the parents in `snap`. */
function descends(snap: CpuSnapshot, pid: number, root: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p != null && p > 1 && hops < 64; p = snap.get(p)?.ppid, hops++) if (p === root) return true
  return false
}

/** What a process is, by its command line and the run's known process ids. */
export function groupOf(pid: number, cmd: string, known: Known, snap?: CpuSnapshot): string {
  if (known.root != null && snap != null && !descends(snap, pid, known.root)) return 'other'
  if (pid === known.relay) return 'relay'
  if (known.agents.includes(pid)) return 'workload agents'
  if (pid === known.root) return 'bench'
  if (/chorus-mesh\.js demo\b/.test(cmd)) return 'demo agents'
  if (/chrom(e|ium)/.test(cmd)) return 'tabs (browser)'
  if (/next-server|next\/dist\/bin\/next|next start/.test(cmd)) return 'web app'
  return 'other'
}

/** CPU seconds used between two snapshots, per group (a process that started in between counts from zero). */
export function cpuShare(before: CpuSnapshot, after: CpuSnapshot, known: Known): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [pid, { cmd, s }] of after) {
    const used = s - (before.get(pid)?.s ?? 0)
    if (used <= 0) continue
    const g = groupOf(pid, cmd, known, after)
    out[g] = Math.round(((out[g] ?? 0) + used) * 10) / 10
  }
  return out
}

/** The nice values each kind of process ran at ("0", or "10", or a range "0–10"), from one snapshot. */
export function niceByGroup(snap: CpuSnapshot, known: Known): Record<string, string> {
  const seen: Record<string, number[]> = {}
  for (const [pid, { cmd, nice }] of snap) {
    if (nice == null || Number.isNaN(nice)) continue
    const g = groupOf(pid, cmd, known, snap)
    if (g !== 'other') (seen[g] ??= []).push(nice)
  }
  const out: Record<string, string> = {}
  for (const [g, ns] of Object.entries(seen)) out[g] = Math.min(...ns) === Math.max(...ns) ? String(ns[0]) : `${Math.min(...ns)}–${Math.max(...ns)}`
  return out
}
