/**
 * The realistic room side by side: the same workload's claims first alone (the relay only, no
 * tabs, no other agents), then beside `chorus-mesh start --demo` (its agents playing their
 * scenarios in their own process) with reviewer tabs open. Each run has its own time-out, so the
 * whole stops by itself; it prints one row per run and the ratios, as JSON and as Markdown.
 *   node --import tsx bench/team/beside.ts [--agents 8] [--tasks 25] [--tabs 3]
 *     [--alone-timeout 180] [--beside-timeout 420] [--only alone|beside] [--out run.json] [--against alone.json]
 *     [--profile relay.cpuprofile] [--port-base 3240]
 * `--only` runs one side (a machine's lock may not allow both in one hold); `--out` keeps its
 * rows, and `--against` reads an earlier run's alone row to compare a beside run with.
 * `--profile` writes the relay's CPU profile of the beside run (`profile.ts` reads it; the
 * profiler slows the relay, so compare profiled runs only with profiled runs). `--port-base`: the
 * alone run's relay listens on it and the next two ports, the beside run's on the three after.
 */
import '../../lib/node/polyfills'
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { runRoom, type RoomRunResult } from './run'
import { workload } from './workload'

/** One run's figures, as the goals name them. */
export interface BesideRow {
  run: 'alone' | 'beside'
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
  healthz: { p50: number; p99: number; max: number; timeouts: number; count: number }
  apiRoom: { p99: number; timeouts: number; count: number }
  /** Longest main-thread task of any tab (ms), and tasks over 200 ms in all tabs. */
  tabLongestMs: number | null
  tabOver200: number
  agentLagMaxMs: number
  /** The relay's presence beats by outcome (verified, skipped, …) over the whole run, start-up included. */
  relayBeats: Record<string, number>
  /** The relay's WebSocket messages sent (socket writes) over the whole run, and events it stored. */
  relayWrites: number
  relayEvents: number
  /** CPU seconds per kind of process from `go` until settled (cpu-share.ts). */
  cpu: Record<string, number>
  /** 1-minute load average at the start and at the end of the run. */
  load: [number, number]
  at: string
}

const STALL_GOAL_MS = 100

/** Reduces a run's result to its row. */
export function rowOf(run: BesideRow['run'], r: RoomRunResult, load: [number, number], at: string): BesideRow {
  return {
    run,
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
    healthz: { p50: r.healthz.p50, p99: r.healthz.p99, max: r.healthz.max, timeouts: r.healthz.timeouts, count: r.healthz.count },
    apiRoom: { p99: r.apiRoom.p99, timeouts: r.apiRoom.timeouts, count: r.apiRoom.count },
    tabLongestMs: r.tabs.length === 0 ? null : Math.max(...r.tabs.map((t) => t.longest)),
    tabOver200: r.tabs.reduce((n, t) => n + t.over200, 0),
    agentLagMaxMs: r.agentLagMaxMs,
    relayBeats: r.relayBeats,
    relayWrites: r.relayWrites,
    relayEvents: r.relayOutcomes.accepted ?? 0,
    cpu: r.cpu,
    load,
    at,
  }
}

/** A Markdown table of the rows, and the beside/alone settle ratio when both are there. */
export function table(rows: readonly BesideRow[]): string {
  const head = '| run | tasks | settle | events per task (copies derived / plans) | relay loop p99 / max, stalls > 100 ms (of them > 100 ms CPU; longest CPU) | `/healthz` p50 / p99 / max, time-outs | `/api/room` p99, time-outs | tabs\' longest task (> 200 ms) | load |'
  const lines = [head, '| --- | --- | --- | --- | --- | --- | --- | --- | --- |']
  for (const r of rows) {
    lines.push(
      `| ${r.run} (${r.at}) | ${r.tasks} | ${r.settleS == null ? `not settled (${r.unsettled[0] ?? '?'})` : `${r.settleS} s`} | ${r.eventsPerTask} (${r.derivedCopies} / ${r.planCopies}) | ${r.loopP99Ms} / ${r.loopMaxMs} ms, ${r.stallsOver100} (${r.cpuStallsOver100}; ${r.cpuStallMaxMs} ms) | ${r.healthz.p50} / ${r.healthz.p99} / ${r.healthz.max} ms, ${r.healthz.timeouts} of ${r.healthz.count} | ${r.apiRoom.p99} ms, ${r.apiRoom.timeouts} of ${r.apiRoom.count} | ${r.tabLongestMs == null ? '—' : `${r.tabLongestMs} ms (${r.tabOver200})`} | ${r.load[0]} → ${r.load[1]} |`,
    )
  }
  const alone = rows.find((r) => r.run === 'alone')
  const beside = rows.find((r) => r.run === 'beside')
  if (alone?.settleS != null && beside?.settleS != null) lines.push('', `settle beside / alone: ${Math.round((beside.settleS / alone.settleS) * 100) / 100}× (goal ≤ 2×)`)
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
    },
  })
  if (values.only != null && values.only !== 'alone' && values.only !== 'beside') throw new Error(`--only ${values.only}: expected alone or beside`)
  const log = (l: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${l}`)
  const load1 = () => Math.round(loadavg()[0] * 10) / 10
  const rows: BesideRow[] = values.against != null ? (JSON.parse(readFileSync(values.against, 'utf8')) as BesideRow[]).filter((r) => r.run === 'alone') : []
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
      portBase: values['port-base'] == null ? undefined : Number(values['port-base']) + (run === 'beside' ? 3 : 0),
      log,
    })
    rows.push(rowOf(run, r, [start, load1()], at))
    log(`${run}: ${JSON.stringify(rows[rows.length - 1])}`)
  }
  if (values.out != null) writeFileSync(values.out, JSON.stringify(rows, null, 2))
  console.log(JSON.stringify(rows, null, 2))
  console.log(table(rows))
  process.exit(0)
}
