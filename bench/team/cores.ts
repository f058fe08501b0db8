/**
 * Two hosts on one two-core machine: the relay on one core, the room's other processes (the
 * workload's agents, the demo's agents, the tabs' browser, the web app) on the other, each
 * pinned with `taskset` (all threads; threads and processes started later inherit it). On a
 * shared machine a relay loses its core wherever it wakes a local reader or a busy neighbour
 * outranks it; a relay on a host of its own has neither, and this is the nearest this machine
 * comes to that. The bench's own process (the health probes) goes with the relay: a monitor on
 * the relay's host.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { type CpuSnapshot, groupOf, type Known } from './cpu-share'

/** The CPU list each kind of process is pinned to. */
export interface CoreSplit {
  relay: string
  others: string
}

export const TWO_HOSTS: CoreSplit = { relay: '0', others: '1' }

/** The processes of the run to pin, with their CPU list: the relay and the bench on `relay`, the room's others on `others`, nothing that is another's work. */
export function pinPlan(snap: CpuSnapshot, known: Known, split: CoreSplit): Array<[number, string]> {
  const out: Array<[number, string]> = []
  for (const [pid, { cmd }] of snap) {
    const g = groupOf(pid, cmd, known, snap)
    if (g === 'relay' || g === 'bench') out.push([pid, split.relay])
    else if (g !== 'other') out.push([pid, split.others])
  }
  return out
}

/** Pins every thread of `pid` to `cpus` (a list such as "0" or "0-1"); false unless the kernel then lists `cpus` for it (`taskset -a` of a process that has gone exits 0). */
export function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' })
    return allowedCpus(pid) === cpus
  } catch {
    return false
  }
}

/** The CPUs `pid`'s main thread may run on, as the kernel lists them ("0", "0-1"). */
export function allowedCpus(pid: number): string {
  return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?'
}

/** Pins the run's processes as `pinPlan` says; returns the CPU lists each kind of process was pinned to (a process that ended first is not counted). */
export function pinRoom(snap: CpuSnapshot, known: Known, split: CoreSplit): Record<string, string> {
  const seen: Record<string, Set<string>> = {}
  for (const [pid, cpus] of pinPlan(snap, known, split)) {
    if (pin(pid, cpus)) (seen[groupOf(pid, snap.get(pid)!.cmd, known, snap)] ??= new Set()).add(cpus)
  }
  return Object.fromEntries(Object.entries(seen).map(([g, s]) => [g, [...s].join(', ')]))
}
