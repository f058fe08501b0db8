/**
 * Who waited for a core during a run, and in which scheduling group. The kernel's per-thread
 * schedstat (/proc/<pid>/task/<tid>/schedstat: time on a CPU, time runnable on a run queue, and
 * slices run) separates a process that was slow because it had no core from one that was
 * waiting on something else (a timer, a socket, a peer): over a run, a main thread's wall time
 * is its CPU time, its run-queue wait, and the rest asleep. The autogroup (/proc/<pid>/autogroup)
 * matters because with autogrouping on, a nice value ranks a thread only against threads of its
 * own group (its session); groups compete with each other by the group's own nice value.
 * Linux only (elsewhere: empty).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { groupOf, type CpuSnapshot, type Known } from './cpu-share'

/** One process's scheduler figures: its main thread's and all its threads' (seconds), and its autogroup. */
export interface SchedStat {
  /** The main thread (the event loop of a Node process): on a CPU, runnable but waiting for one, slices run. */
  mainRunS: number
  mainWaitS: number
  mainSlices: number
  /** Every thread of the process, summed. */
  runS: number
  waitS: number
  /**
   * As /proc names it: `/autogroup-<n> nice <k>`; `root` for a process in no autogroup (its
   * session is init's, whose file is empty, as under a container's or CI runner's first process);
   * undefined without autogrouping.
   */
  autogroup?: string
}

export type SchedSnapshot = Map<number, SchedStat>

/** The three fields of a schedstat line, in seconds, seconds and a count. */
export function parseSchedstat(line: string): [number, number, number] | undefined {
  const f = line.trim().split(/\s+/).map(Number)
  if (f.length < 3 || f.some((n) => !Number.isFinite(n))) return undefined
  return [f[0] / 1e9, f[1] / 1e9, f[2]]
}

/** Reads every process's (or `pids`') scheduler figures now. */
export function schedSnapshot(pids?: Iterable<number>): SchedSnapshot {
  const out: SchedSnapshot = new Map()
  let list: number[]
  try {
    list = pids ? [...pids] : readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)
  } catch {
    return out
  }
  for (const pid of list) {
    try {
      const main = parseSchedstat(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8'))
      if (main == null) continue
      let runS = 0
      let waitS = 0
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const t = tid === String(pid) ? main : parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'))
        if (t) (runS += t[0]), (waitS += t[1])
      }
      let autogroup: string | undefined
      try {
        autogroup = readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim() || 'root'
      } catch {
        // No autogrouping in this kernel.
      }
      out.set(pid, { mainRunS: main[0], mainWaitS: main[1], mainSlices: main[2], runS, waitS, autogroup })
    } catch {
      // The process (or a thread) ended between the listing and the read.
    }
  }
  return out
}

/** Per kind of process, between two snapshots: main threads' run and run-queue wait (s) and slices, all threads' wait (s), processes counted. */
export interface GroupSched {
  mainRunS: number
  mainWaitS: number
  mainSlices: number
  waitS: number
  processes: number
}

const r1 = (n: number) => Math.round(n * 10) / 10

/**
 * Sums each kind of process's scheduler figures between two snapshots (grouped as cpu-share.ts
 * groups them, by `cpu`, a CPU snapshot taken with `after`); a process that started in between
 * counts from zero.
 */
export function schedShare(before: SchedSnapshot, after: SchedSnapshot, cpu: CpuSnapshot, known: Known): Record<string, GroupSched> {
  const out: Record<string, GroupSched> = {}
  for (const [pid, a] of after) {
    const c = cpu.get(pid)
    if (c == null) continue
    const b = before.get(pid) ?? { mainRunS: 0, mainWaitS: 0, mainSlices: 0, runS: 0, waitS: 0 }
    const g = (out[groupOf(pid, c.cmd, known, cpu)] ??= { mainRunS: 0, mainWaitS: 0, mainSlices: 0, waitS: 0, processes: 0 })
    g.mainRunS += a.mainRunS - b.mainRunS
    g.mainWaitS += a.mainWaitS - b.mainWaitS
    g.mainSlices += a.mainSlices - b.mainSlices
    g.waitS += a.waitS - b.waitS
    g.processes++
  }
  for (const g of Object.values(out)) (g.mainRunS = r1(g.mainRunS)), (g.mainWaitS = r1(g.mainWaitS)), (g.waitS = r1(g.waitS))
  return out
}

/** The autogroups each kind of process ran in (distinct, as /proc names them), from one snapshot. */
export function autogroupsByGroup(sched: SchedSnapshot, cpu: CpuSnapshot, known: Known): Record<string, string[]> {
  const out: Record<string, Set<string>> = {}
  for (const [pid, s] of sched) {
    const c = cpu.get(pid)
    if (c == null || s.autogroup == null) continue
    const g = groupOf(pid, c.cmd, known, cpu)
    if (g !== 'other') (out[g] ??= new Set()).add(s.autogroup)
  }
  return Object.fromEntries(Object.entries(out).map(([g, s]) => [g, [...s].sort()]))
}
