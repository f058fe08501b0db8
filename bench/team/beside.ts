/**
 * The realistic room side by side: the same workload's claims first alone (the relay only, no
 * tabs, no other agents), then beside `chorus-mesh start --demo` (its agents playing their
 * scenarios in their own process) with reviewer tabs open. Each run has its own time-out, so the
 * whole stops by itself; it prints one row per run and the ratios, as JSON and as Markdown.
 *   node --import tsx bench/team/beside.ts [--agents 8] [--tasks 25] [--tabs 3]
 *     [--alone-timeout 180] [--beside-timeout 420] [--only alone|beside] [--out run.json] [--against alone.json]
 *     [--profile relay.cpuprofile] [--tab-profile tab] [--port-base 3240] [--nice 10] [--tab-group-nice 10] [--two-hosts] [--with a.json,b.json]
 * `--only` runs one side (a machine's lock may not allow both in one hold); `--out` keeps its
 * rows, and `--against` reads an earlier run's alone row to compare a beside run with; `--with`
 * puts earlier runs' rows (every run) in the table too, and runs nothing when `--only none`.
 * `--nice 10` runs the workload's agents and the tabs' browser at nice 10 (`--tab-group-nice 10`
 * also the browser's scheduling group, which otherwise competes with the relay's as one nice-0
 * process: tabs.ts, ADR 0118) and the relay at this process's priority: the relay as it runs on a host of its own (or as a service given the CPU
 * first, docs/deploy.md); without it every process the bench starts has the same priority (the
 * demo's agents are at nice 10 in both, `start --demo` lowers them).
 * `--two-hosts` pins, from `go`, the relay and the bench's probes to CPU 0 and everything else
 * of the room to CPU 1 (cores.ts): a relay on a host of its own, as near as two cores allow.
 * `--profile` writes the relay's CPU profile of the beside run (`profile.ts` reads it; the
 * profiler slows the relay, so compare profiled runs only with profiled runs); `--tab-profile`
 * each tab's (`<prefix>.<view>.cpuprofile`). `--port-base`: the
 * alone run's relay listens on it and the next two ports, the beside run's on the three after.
 */
import '../../lib/node/polyfills'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { runRoom, type RoomRunResult } from './run'
import { TWO_HOSTS } from './cores'
import { slowExplained } from './probe'
import type { Stall } from './loop-monitor'
import type { GroupSched } from './sched'
import { workload } from './workload'

/** One run's figures, as the goals name them. */
export interface BesideRow {
  run: 'alone' | 'beside'
  /** The nice value of the workload's agents and the tabs (0: the relay's own priority, as everything else). */
  nice: number
  /** The CPUs each kind of process was pinned to from `go` (`--two-hosts`, cores.ts); absent when not pinned. */
  cores?: Record<string, string>
  /** The nice value each kind of process ran at, as read at `go`. */
  niceByGroup: Record<string, string>
  tasks: number
  settleS: number | null
  unsettled: string[]
  eventsPerTask: number
  workloadEvents: number
  derivedCopies: number
  planCopies: number
  loopP99Ms: number
  loopMaxMs: number
  /** The relay's event loop held for more than 100 ms, as a 10 ms timer saw it. */
  stallsOver100: number
  /** Of those, stalls in which the process used more than 100 ms of CPU: code holding the loop, not the scheduler. */
  cpuStallsOver100: number
  /** The longest such stall's CPU time (ms). */
  cpuStallMaxMs: number
  /** Stalls over 100 ms in which the relay's main thread itself ran for more than 100 ms: its synchronous stretches. */
  mainCpuStallsOver100?: number
  /** The most CPU the main thread used in one stall (ms). */
  mainCpuStallMaxMs?: number
  /** Every stall with more than 100 ms of CPU (process or main thread), whole (loop-monitor's `Stall`), for `stalls.ts` to cut a profile to. */
  cpuStalls?: Stall[]
  /** `slow`: probes over 250 ms; `slowByLoop`: of those, ones the relay's loop stalls cover (probe.ts). */
  healthz: { p50: number; p99: number; max: number; timeouts: number; count: number; slow?: number; slowByLoop?: number }
  apiRoom: { p99: number; timeouts: number; count: number }
  /** Longest main-thread task of any tab (ms), and tasks over 200 ms in all tabs. */
  tabLongestMs: number | null
  tabOver200: number
  /** Each tab's longest task and tasks over 200 ms, by view. */
  tabs: RoomRunResult['tabs']
  agentLagMaxMs: number
  /** Fold replays the workload's agents ran from `go` until settled, summed. */
  agentRewinds: number
  /** The relay's presence beats by outcome (verified, skipped, …) over the whole run, start-up included. */
  relayBeats: Record<string, number>
  /** The relay's WebSocket messages sent (socket writes) over the whole run, and events it stored. */
  relayWrites: number
  relayEvents: number
  /** CPU seconds per kind of process from `go` until settled (cpu-share.ts). */
  cpu: Record<string, number>
  /** Main threads' CPU, run-queue wait and slices per kind of process from `go` until settled (sched.ts). */
  sched: Record<string, GroupSched>
  /** The autogroups each kind of process ran in, with the group's nice value. */
  autogroups: Record<string, string[]>
  /** 1-minute load average at the start and at the end of the run. */
  load: [number, number]
  at: string
}

const STALL_GOAL_MS = 100

const slowHealthz = (r: RoomRunResult) => {
  const { slow, byLoop } = slowExplained(r.healthz.slow, r.loop.stalls)
  return { slow, slowByLoop: byLoop }
}

/** Reduces a run's result to its row. */
export function rowOf(run: BesideRow['run'], nice: number, r: RoomRunResult, load: [number, number], at: string): BesideRow {
  return {
    run,
    nice,
    niceByGroup: r.nice,
    ...(r.cores ? { cores: r.cores } : {}),
    tasks: r.tasks,
    settleS: r.settleMs == null ? null : Math.round(r.settleMs / 100) / 10,
    unsettled: r.unsettled.slice(0, 5),
    eventsPerTask: Math.round((r.census.workload / r.tasks) * 10) / 10,
    workloadEvents: r.census.workload,
    derivedCopies: r.census.derivedCopies,
    planCopies: r.census.planCopies,
    loopP99Ms: r.loop.p99,
    loopMaxMs: r.loop.max,
    stallsOver100: r.loop.stalls.filter(([, ms]) => ms > STALL_GOAL_MS).length,
    cpuStallsOver100: r.loop.stalls.filter(([, ms, cpu]) => ms > STALL_GOAL_MS && cpu > STALL_GOAL_MS).length,
    cpuStallMaxMs: Math.max(0, ...r.loop.stalls.map(([, , cpu]) => cpu)),
    mainCpuStallsOver100: r.loop.stalls.filter(([, ms, , main]) => ms > STALL_GOAL_MS && main > STALL_GOAL_MS).length,
    mainCpuStallMaxMs: Math.max(0, ...r.loop.stalls.map(([, , , main]) => main)),
    cpuStalls: r.loop.stalls.filter(([, ms, cpu, main]) => ms > STALL_GOAL_MS && (cpu > STALL_GOAL_MS || main > STALL_GOAL_MS)),
    healthz: { p50: r.healthz.p50, p99: r.healthz.p99, max: r.healthz.max, timeouts: r.healthz.timeouts, count: r.healthz.count, ...slowHealthz(r) },
    apiRoom: { p99: r.apiRoom.p99, timeouts: r.apiRoom.timeouts, count: r.apiRoom.count },
    tabLongestMs: r.tabs.length === 0 ? null : Math.max(...r.tabs.map((t) => t.longest)),
    tabOver200: r.tabs.reduce((n, t) => n + t.over200, 0),
    tabs: r.tabs,
    agentLagMaxMs: r.agentLagMaxMs,
    agentRewinds: r.agentRewinds,
    relayBeats: r.relayBeats,
    relayWrites: r.relayWrites,
    relayEvents: r.relayOutcomes.accepted ?? 0,
    cpu: r.cpu,
    sched: r.sched,
    autogroups: r.autogroups,
    load,
    at,
  }
}

const config = (r: BesideRow) => `${r.nice > 0 ? `relay first (others nice ${r.nice})` : 'same priority'}${r.cores ? `, two hosts (relay on CPU ${r.cores.relay ?? '?'}, others on ${r.cores['workload agents'] ?? '?'})` : ''}`
const ratio = (a: number, b: number) => `${Math.round((a / b) * 100) / 100}×`

/**
 * Where a run's main threads spent its time from `go` until settled: on a CPU, waiting for one
 * (runnable, on a run queue) and, for the agents, asleep (waiting on timers, sockets or peers);
 * and the relay's mean wait per slice, what each wake-up of its loop waited for a core.
 */
export function schedNote(r: BesideRow): string {
  const s = r.sched ?? {}
  const parts: string[] = []
  const relay = s.relay
  if (relay) parts.push(`relay ran ${relay.mainRunS} s, waited ${relay.mainWaitS} s for a core (${relay.mainSlices > 0 ? Math.round((relay.mainWaitS / relay.mainSlices) * 1e4) / 10 : 0} ms per slice)`)
  const agents = s['workload agents']
  if (agents) {
    const asleep = r.settleS == null ? '' : `, asleep ${Math.round((agents.processes * r.settleS - agents.mainRunS - agents.mainWaitS) * 10) / 10} s`
    parts.push(`workload agents ran ${agents.mainRunS} s, waited ${agents.mainWaitS} s${asleep} (${agents.processes} main threads)`)
  }
  for (const g of ['demo agents', 'tabs (browser)', 'bench']) if (s[g]) parts.push(`${g} ran ${s[g].mainRunS} s, waited ${s[g].mainWaitS} s (main threads; all threads waited ${s[g].waitS} s)`)
  const slow = r.healthz.slow == null ? '' : `; \`/healthz\` probes over 250 ms: ${r.healthz.slow}, of them ${r.healthz.slowByLoop} covered by the relay's loop stalls`
  return parts.length === 0 ? '' : `${r.run} (${r.at}) main threads: ${parts.join('; ')}${slow}`
}

/**
 * A Markdown table of the rows, then each configuration's beside runs against the alone runs
 * of the same configuration (paired in order: the first beside with the first alone, …).
 */
export function table(rows: readonly BesideRow[]): string {
  const head = '| run | priorities | tasks | settle | events per task (copies derived / plans) | relay loop p99 / max, stalls > 100 ms (of them > 100 ms CPU; longest CPU; > 100 ms on the main thread; its longest) | `/healthz` p50 / p99 / max, time-outs | `/api/room` p99, time-outs | tabs\' longest task (> 200 ms) | CPU-s relay / workload agents / demo agents / tabs / web app | load |'
  const lines = [head, `|${' --- |'.repeat(11)}`]
  const cpu = (r: BesideRow, g: string) => (r.cpu[g] == null ? '—' : String(r.cpu[g]))
  for (const r of rows) {
    lines.push(
      `| ${r.run} (${r.at}) | ${config(r)} | ${r.tasks} | ${r.settleS == null ? `not settled (${r.unsettled[0] ?? '?'})` : `${r.settleS} s`} | ${r.eventsPerTask} (${r.derivedCopies} / ${r.planCopies}) | ${r.loopP99Ms} / ${r.loopMaxMs} ms, ${r.stallsOver100} (${r.cpuStallsOver100}; ${r.cpuStallMaxMs} ms; ${r.mainCpuStallsOver100 ?? '—'}; ${r.mainCpuStallMaxMs ?? '—'} ms) | ${r.healthz.p50} / ${r.healthz.p99} / ${r.healthz.max} ms, ${r.healthz.timeouts} of ${r.healthz.count} | ${r.apiRoom.p99} ms, ${r.apiRoom.timeouts} of ${r.apiRoom.count} | ${r.tabLongestMs == null ? '—' : `${r.tabLongestMs} ms (${r.tabOver200})`} | ${['relay', 'workload agents', 'demo agents', 'tabs (browser)', 'web app'].map((g) => cpu(r, g)).join(' / ')} | ${r.load[0]} → ${r.load[1]} |`,
    )
  }
  const waits = rows.map(schedNote).filter((l) => l !== '')
  if (waits.length > 0) lines.push('', ...waits)
  for (const nice of [...new Set(rows.map((r) => r.nice))]) {
    const alone = rows.filter((r) => r.nice === nice && r.run === 'alone')
    const beside = rows.filter((r) => r.nice === nice && r.run === 'beside')
    if (beside.length === 0) continue
    const settle = beside.map((b, i) => (b.settleS == null || alone[i]?.settleS == null ? 'not settled' : ratio(b.settleS, alone[i].settleS!)))
    const loop = beside.map((b, i) => (alone[i] ? `${ratio(b.loopP99Ms, alone[i].loopP99Ms)}` : '—'))
    const hz = beside.map((b) => `${b.healthz.p99} ms (${b.healthz.timeouts} time-outs)`)
    const tabs = beside.map((b) => (b.tabLongestMs == null ? '—' : `${b.tabLongestMs} ms`))
    lines.push('', `${config(beside[0])}: settle beside / alone ${settle.join(', ')} (goal ≤ 2×); relay loop p99 beside / alone ${loop.join(', ')}; \`/healthz\` p99 beside ${hz.join(', ')} (goal < 250 ms, none); tabs' longest task ${tabs.join(', ')} (goal ≤ 200 ms)`)
  }
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string', default: '8' },
      tasks: { type: 'string', default: '25' },
      tabs: { type: 'string', default: '3' },
      'alone-timeout': { type: 'string', default: '180' },
      'beside-timeout': { type: 'string', default: '420' },
      only: { type: 'string' },
      out: { type: 'string' },
      against: { type: 'string' },
      profile: { type: 'string' },
      'port-base': { type: 'string' },
      nice: { type: 'string', default: '0' },
      'tab-profile': { type: 'string' },
      'tab-group-nice': { type: 'string' },
      'two-hosts': { type: 'boolean', default: false },
      with: { type: 'string' },
    },
  })
  if (values.only != null && !['alone', 'beside', 'none'].includes(values.only)) throw new Error(`--only ${values.only}: expected alone, beside or none`)
  if (values['two-hosts'] && availableParallelism() < 2) throw new Error(`--two-hosts pins the relay and the rest of the room to CPUs 0 and 1; this process may use ${availableParallelism()} CPU`)
  const nice = Number(values.nice)
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`--nice ${values.nice}: expected 0…19`)
  const log = (l: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${l}`)
  const load1 = () => Math.round(loadavg()[0] * 10) / 10
  const read = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as BesideRow[]).map((r) => ({ ...r, nice: r.nice ?? 0, niceByGroup: r.niceByGroup ?? {}, tabs: r.tabs ?? [], sched: r.sched ?? {}, autogroups: r.autogroups ?? {} }))
  // A beside run's file repeats the alone row it was compared with: keep each run once.
  const earlier = [...new Map((values.with ?? '').split(',').filter((f) => f !== '').flatMap(read).map((r) => [`${r.run} ${r.nice} ${r.at}`, r])).values()]
  const rows: BesideRow[] = values.against != null ? read(values.against).filter((r) => r.run === 'alone') : []
  for (const run of ['alone', 'beside'] as const) {
    if (values.only != null && values.only !== run) continue
    const start = load1()
    const at = new Date().toISOString().slice(11, 16)
    const r = await runRoom({
      label: run,
      agents: workload(Number(values.agents), Number(values.tasks)),
      demo: run === 'beside',
      tabs: run === 'beside' ? Number(values.tabs) : 0,
      timeoutMs: Number(values[run === 'alone' ? 'alone-timeout' : 'beside-timeout']) * 1000,
      profile: run === 'beside' ? values.profile : undefined,
      tabProfile: run === 'beside' ? values['tab-profile'] : undefined,
      portBase: values['port-base'] == null ? undefined : Number(values['port-base']) + (run === 'beside' ? 3 : 0),
      nice,
      tabGroupNice: values['tab-group-nice'] == null ? undefined : Number(values['tab-group-nice']),
      cores: values['two-hosts'] ? TWO_HOSTS : undefined,
      log,
    })
    rows.push(rowOf(run, nice, r, [start, load1()], at))
    log(`${run}: ${JSON.stringify(rows[rows.length - 1])}`)
  }
  if (values.out != null) writeFileSync(values.out, JSON.stringify(rows, null, 2))
  console.log(JSON.stringify(rows, null, 2))
  console.log(table([...earlier, ...rows].sort((a, b) => a.at.localeCompare(b.at))))
  process.exit(0)
}
