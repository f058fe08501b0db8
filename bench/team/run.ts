/**
 * One run of the realistic room: the relay as its own process through the product command
 * (`chorus-mesh relay`, or `chorus-mesh start --demo`: relay, the demo's agents and the web
 * app), the workload's agents each in its own process, reviewer tabs in Chromium on the built
 * app; then every agent claims its tasks at once, and the run measures until the workload has
 * settled: the time, the events written, the relay's event loop (preloaded monitor), its
 * `/healthz` and `/api/room` as probes see them, and the tabs' long tasks.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser } from '@playwright/test'
import type { AgentChildConfig, AgentChildReport } from './agent-child'
import type { Census } from './census'
import type { LoopReport, MonitorRequest } from './loop-monitor'
import { Prober, type ProbeStats } from './probe'
import { cpuShare, cpuSnapshot, niceByGroup } from './cpu-share'
import { pinRoom, type CoreSplit } from './cores'
import { autogroupsByGroup, schedShare, schedSnapshot, type GroupSched } from './sched'
import type { WorkloadAgent } from './workload'
import { longTasks, openTabs, profileTabs } from './tabs'
import { ensureBuilt, freePort, waitHttp } from '../web-app'

const root = resolve(import.meta.dirname, '..', '..')
const BIN = join(root, 'bin', 'chorus-mesh.js')
const TSX = ['--import', 'tsx']

export interface RoomRunOptions {
  label: string
  agents: readonly WorkloadAgent[]
  /** Relay as `chorus-mesh start --demo` (its 8 demo agents in the relay's process, and the web app). */
  demo: boolean
  /** Reviewer tabs open in Chromium during the run (the web app is started for them). */
  tabs: number
  /** Write the relay's CPU profile here. */
  profile?: string
  /** Write each tab's CPU profile from `go` until settled here (`<prefix>.<view>.cpuprofile`). */
  tabProfile?: string
  /** Also profile each workload agent (beside the relay's file, suffixed with its name); it slows them. */
  profileAgents?: boolean
  timeoutMs: number
  /**
   * Runs the workload's agents and the tabs' browser at this nice value, the relay (and the web
   * app `start` serves) at this process's own: the relay as it runs on a host of its own, or as
   * a service given the CPU first. The demo's agents are at nice 10 either way (`start --demo`).
   * 0 or absent: everything at this process's priority.
   */
  nice?: number
  /** The nice value of the tabs' browser's scheduling group (tabs.ts); 0 when absent, the group as Playwright makes it. */
  tabGroupNice?: number
  /** From `go`, pins the relay (and the bench's probes) to `relay`'s CPUs and the room's other processes to `others`' (cores.ts): two hosts on one machine. */
  cores?: CoreSplit
  /** The relay's libp2p, HTTP and web ports are this and the next two (a shared machine's assigned range); free ports when absent. */
  portBase?: number
  log?: (line: string) => void
}

export interface RoomRunResult {
  label: string
  tasks: number
  /** From `go` until every agent sees the workload settled; null if it did not within the time-out. */
  settleMs: number | null
  /** Why it had not settled at the time-out (per agent), if so. */
  unsettled: string[]
  census: Census
  /** The relay's event loop from `go` until settled. */
  loop: LoopReport
  healthz: ProbeStats
  apiRoom: ProbeStats
  /** Longest main-thread task (ms) of each tab from `go` until settled, and how many exceeded 200 ms. */
  tabs: Array<{ view: string; longest: number; over200: number; longTasks: number }>
  /** Largest event-loop delay any agent process saw (ms). */
  agentLagMaxMs: number
  agentErrors: number
  /** Reloads a tab needed before it joined (the app's /api/room gave up on a busy relay). */
  tabJoinRetries: number
  /** The relay's log outcomes at the end (its /metrics `chorus_events_total`): accepted, duplicate, pending, rejections by reason. */
  relayOutcomes: Record<string, number>
  /**
   * The relay's anti-entropy at the end (/metrics `chorus_sync_events_total`): events sent,
   * received and added; received − added are the copies sync brought (of the duplicates above,
   * the rest came by gossip).
   */
  relaySync: Record<string, number>
  /** The relay's presence beats at the end (/metrics `chorus_presence_beats_total`), by outcome: verified, skipped, not_member, forged. */
  relayBeats: Record<string, number>
  /** WebSocket messages the relay sent over the whole run (`chorus_websocket_messages_sent_total`): its socket writes to peers. */
  relayWrites: number
  /** CPU seconds each kind of process used from `go` until settled (cpu-share.ts): who had the machine's cores. */
  cpu: Record<string, number>
  /** The CPUs each kind of process was pinned to from `go` (cores.ts); absent when not pinned. */
  cores?: Record<string, string>
  /** The nice value each kind of process ran at (niceByGroup): the priorities the run gave. */
  nice: Record<string, string>
  /** The autogroups each kind of process ran in, with each group's own nice value (sched.ts): a nice value ranks threads only within their group. */
  autogroups: Record<string, string[]>
  /** Each kind of process's main threads from `go` until settled: CPU, run-queue wait (runnable, no core) and slices (sched.ts). */
  sched: Record<string, GroupSched>
  /** The workload agents' sync rounds, summed: events sent, and what they offered — stored chains, or parked events (and of those, ones the other side's chain already covered). */
  agentSync: { sent: number; stored: number; pending: number; pendingCovered: number }
  /** Fold replays the workload's agents ran from `go` until settled, summed (late events: each replay folds again from a checkpoint). */
  agentRewinds: number
  dir: string
}

/**
 * A child process with IPC whose output goes to a log file in the run's directory; with `nice`,
 * started through `nice` (which execs node in place: same pid, IPC channel inherited), so every
 * thread Node starts has the lower priority from the first instruction.
 */
function child(args: string[], dir: string, name: string, env: Record<string, string> = {}, nice = 0): ChildProcess {
  const [cmd, argv] = nice > 0 ? ['nice', ['-n', String(nice), process.execPath, ...args]] : [process.execPath, args]
  const p = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ...env } })
  const out = createWriteStream(join(dir, `${name}.log`))
  p.stdout?.pipe(out)
  p.stderr?.pipe(out)
  return p
}

/** The next IPC message of `p` that `pick` accepts. */
function nextMessage<T>(p: ChildProcess, pick: (m: unknown) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => (p.off('message', on), rej(new Error(`timed out waiting for ${what}`))), timeoutMs)
    const on = (m: unknown) => {
      const v = pick(m)
      if (v === undefined) return
      clearTimeout(timer)
      p.off('message', on)
      res(v)
    }
    p.on('message', on)
  })
}

/** Resolves once the relay has printed its invites (both commands print an agent and a reviewer invite). */
function invitesOf(p: ChildProcess, timeoutMs: number): Promise<{ agent: string; reviewer: string }> {
  return new Promise((res, rej) => {
    let text = ''
    const timer = setTimeout(() => rej(new Error(`the relay printed no invites: ${text.slice(-500)}`)), timeoutMs)
    p.stdout?.on('data', (d: Buffer) => {
      text += d.toString()
      // `relay` keeps its first invites in a file (not in a service's log) and names it.
      const kept = /first invites are in (\S+)/.exec(text)?.[1]
      const all = text + (kept && existsSync(kept) ? readFileSync(kept, 'utf8') : '')
      const agent = /agent invite: (\S+)/.exec(all)?.[1] ?? /--invite (\S+)/.exec(all)?.[1]
      const reviewer = /reviewer invite: (\S+)/.exec(all)?.[1] ?? /Invite reviewers with: \S+#invite=(\S+)/.exec(all)?.[1]
      if (agent && reviewer) {
        clearTimeout(timer)
        res({ agent, reviewer })
      }
    })
  })
}

/** Runs the realistic room once; see the module comment. */
export async function runRoom(o: RoomRunOptions): Promise<RoomRunResult> {
  const log = o.log ?? (() => {})
  const dir = mkdtempSync(join(tmpdir(), `chorus-bench-team-${o.label}-`))
  const [http, port, web] = o.portBase != null ? [o.portBase, o.portBase + 1, o.portBase + 2] : [await freePort(), await freePort(), await freePort()]
  const useStart = o.demo || o.tabs > 0
  if (useStart) ensureBuilt()
  const relayArgs = useStart
    ? ['start', '--port', String(web), '--relay-port', String(port), '--http-port', String(http), '--data', join(dir, 'relay'), ...(o.demo ? ['--demo'] : [])]
    : ['relay', '--host', '127.0.0.1', '--port', String(port), '--http-port', String(http), '--data', join(dir, 'relay')]
  const relay = child([...TSX, '--import', join(root, 'bench', 'team', 'loop-monitor.ts'), BIN, ...relayArgs], dir, 'relay', o.profile ? { CHORUS_BENCH_PROFILE: o.profile } : {})
  const agents: ChildProcess[] = []
  let browser: Browser | undefined
  const states = new Map<number, Extract<AgentChildReport, { type: 'state' }>>()
  const rewinds = new Map<number, number>()
  try {
    const invites = await invitesOf(relay, 120_000)
    const relayUrl = `http://127.0.0.1:${http}`
    await waitHttp(`${relayUrl}/api/room`)
    log(`${o.label}: relay up (${o.demo ? 'start --demo' : useStart ? 'start' : 'relay'})`)

    const workload = o.agents.flatMap((a) => a.tasks.map((t) => t.taskId))
    let failed: string | undefined
    for (const [i, a] of o.agents.entries()) {
      const profiled = o.profile != null && o.profileAgents === true
      const monitor = profiled ? ['--import', join(root, 'bench', 'team', 'loop-monitor.ts')] : []
      const p = child([...TSX, ...monitor, join(root, 'bench', 'team', 'agent-child.ts')], dir, a.name, profiled ? { CHORUS_BENCH_PROFILE: `${o.profile}.${a.name}.cpuprofile` } : {}, o.nice)
      p.on('message', (m: AgentChildReport) => {
        if (m.type === 'state') {
          states.set(i, m)
          rewinds.set(i, Math.max(rewinds.get(i) ?? 0, m.rewinds))
        }
        if (m.type === 'failed') failed = `${a.name}: ${m.message}`
      })
      agents.push(p)
      const config: AgentChildConfig = { relayUrl, invite: invites.agent, dataDir: join(dir, 'agents'), agent: a, workload }
      p.once('message', () => p.send(config))
    }
    await Promise.all(agents.map((p, i) => nextMessage(p, (m) => ((m as AgentChildReport).type === 'joined' ? true : undefined), 180_000, `${o.agents[i].name} to join`)))
    log(`${o.label}: ${agents.length} agents joined`)

    const tabs = o.tabs > 0 ? await openTabs({ web: `http://127.0.0.1:${web}`, reviewerInvite: invites.reviewer, count: o.tabs, dir, nice: o.nice, groupNice: o.tabGroupNice, label: o.label, log }) : undefined
    browser = tabs?.browser

    const loop = (reset: boolean) => {
      const answer = nextMessage(relay, (m) => ((m as LoopReport).type === 'loop' ? (m as LoopReport) : undefined), 120_000, 'the relay loop report')
      relay.send({ type: 'loop', reset } satisfies MonitorRequest)
      return answer
    }
    await loop(true)
    const healthz = new Prober(`${relayUrl}/healthz`, 250)
    const apiRoom = new Prober(`${relayUrl}/api/room`, 2000)
    const tabProfiles = o.tabProfile != null && tabs ? await profileTabs(tabs.pages, o.tabProfile) : undefined
    const cpuAtGo = cpuSnapshot()
    const schedAtGo = schedSnapshot(cpuAtGo.keys())
    const known = { relay: relay.pid, agents: agents.map((p) => p.pid ?? -1), root: process.pid }
    const nice = niceByGroup(cpuAtGo, known)
    const autogroups = autogroupsByGroup(schedAtGo, cpuAtGo, known)
    log(`${o.label}: nice values at go: ${JSON.stringify(nice)}; autogroups ${JSON.stringify(autogroups)}`)
    const cores = o.cores ? pinRoom(cpuAtGo, known, o.cores) : undefined
    if (cores) log(`${o.label}: pinned to CPUs ${JSON.stringify(cores)}`)
    const go = Date.now()
    states.clear()
    rewinds.clear()
    for (const p of agents) p.send({ type: 'go' })
    let settleMs: number | null = null
    while (Date.now() - go < o.timeoutMs && failed == null) {
      await new Promise((r) => setTimeout(r, 250))
      if (states.size === agents.length && [...states.values()].every((s) => s.unsettled == null)) {
        settleMs = Date.now() - go
        break
      }
    }
    if (failed) throw new Error(failed)
    const until = Date.now()
    const cpuEnd = cpuSnapshot()
    const cpu = cpuShare(cpuAtGo, cpuEnd, known)
    const sched = schedShare(schedAtGo, schedSnapshot(cpuEnd.keys()), cpuEnd, known)
    log(`${o.label}: ${settleMs == null ? `not settled after ${o.timeoutMs} ms` : `settled in ${settleMs} ms`}`)
    const [hz, api, lp] = [await healthz.stop(), await apiRoom.stop(), await loop(false)]
    const tabTasks = await longTasks(tabs?.pages ?? [], go, until)
    if (tabProfiles) log(`${o.label}: tab profiles in ${(await tabProfiles.stop()).join(', ')}`)
    const metrics = await fetch(`${relayUrl}/metrics`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text(), () => '')
    const relayOutcomes = Object.fromEntries([...metrics.matchAll(/^chorus_events_total\{outcome="([^"]+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]).filter(([, n]) => (n as number) > 0))
    const relaySync = Object.fromEntries([...metrics.matchAll(/^chorus_sync_events_total\{direction="([^"]+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]))
    const relayBeats = Object.fromEntries([...metrics.matchAll(/^chorus_presence_beats_total\{outcome="([^"]+)"\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]))
    const relayWrites = Number(/^chorus_websocket_messages_sent_total (\d+)/m.exec(metrics)?.[1] ?? NaN)
    const counted = nextMessage(agents[0], (m) => ((m as AgentChildReport).type === 'census' ? (m as Extract<AgentChildReport, { type: 'census' }>).census : undefined), 60_000, 'a census')
    agents[0].send({ type: 'census' })
    const census = await counted
    const last = [...states.values()]
    return {
      label: o.label,
      tasks: workload.length,
      settleMs,
      unsettled: last.map((s) => s.unsettled).filter((s): s is string => s != null),
      census,
      loop: lp,
      healthz: hz,
      apiRoom: api,
      tabs: tabTasks,
      agentLagMaxMs: Math.round(Math.max(0, ...last.map((s) => s.lagMaxMs))),
      agentErrors: last.reduce((n, s) => n + s.errors, 0),
      tabJoinRetries: tabs?.retries ?? 0,
      relayOutcomes,
      relaySync,
      relayBeats,
      relayWrites,
      cpu,
      nice,
      cores,
      autogroups,
      sched,
      agentSync: last.reduce((a, s) => ({ sent: a.sent + s.syncSent, stored: a.stored + s.offers.stored, pending: a.pending + s.offers.pending, pendingCovered: a.pendingCovered + s.offers.pendingCovered }), { sent: 0, stored: 0, pending: 0, pendingCovered: 0 }),
      agentRewinds: [...rewinds.values()].reduce((a, b) => a + b, 0),
      dir,
    }
  } finally {
    await browser?.close().catch(() => {})
    if (o.profile) await Promise.all([relay, ...(o.profileAgents === true ? agents : [])].map(stopProfile))
    await Promise.all(agents.map((p) => stopChild(p, () => p.send({ type: 'stop' }))))
    await stopChild(relay, () => relay.kill('SIGINT'))
    if (!process.env.CHORUS_BENCH_KEEP) rmSync(dir, { recursive: true, force: true })
  }
}

/** Has a child's preloaded monitor write its CPU profile; resolves when written (or after a minute). */
async function stopProfile(p: ChildProcess): Promise<void> {
  if (p.exitCode != null || p.signalCode != null) return
  const written = nextMessage(p, (m) => ((m as { type: string }).type === 'profile' ? true : undefined), 60_000, 'the profile').catch(() => false)
  p.send({ type: 'profile-stop' } satisfies MonitorRequest)
  await written
}

/** Asks a child to stop, then kills it if it has not exited within 20 s. */
async function stopChild(p: ChildProcess, ask: () => void): Promise<void> {
  if (p.exitCode != null || p.signalCode != null) return
  const exited = new Promise<void>((r) => p.once('exit', () => r()))
  try {
    ask()
  } catch {
    // The IPC channel may already be closed: the kill below ends it.
  }
  const timer = setTimeout(() => p.kill('SIGKILL'), 20_000)
  await exited
  clearTimeout(timer)
}
