/**
 * The multi-host scenario: 3 relays, 6 agents and 2 tabs, each on a host of its own, agents
 * and tabs writing all along. Relay 1 is killed; then {relay 2, agents 1–3} are partitioned
 * from the rest and healed; then relay 3's disk is wiped and it is restarted (a new key, the
 * same command line); last, relay 1 comes back on a new address. At the end every replica has
 * the same root, no acknowledged event is missing anywhere, the tabs wrote and received in
 * every phase, and relay 3 serves the room it served before.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lab } from './netns'
import { AgentProc, printedInvites, startAgent, startRelay, startWeb, type HostProc } from './procs'
import { missingIds, readReplica } from './replicas'
import { LabTab } from './tabs'
import { Writers, type Ack } from './writers'

export interface ScenarioOptions {
  /** Printed as the run goes. */
  log: (line: string) => void
  presenceIntervalMs?: number
  /** How long each phase writes before the next fault. */
  phaseMs?: number
  /** Upper bound on each wait for convergence. */
  convergeTimeoutMs?: number
}

export interface ScenarioReport {
  written: number
  lost: number
  failedWrites: number
  convergenceMs: Record<string, number>
  /** Phases the tabs were watched in (each fault's, and the quiet ones between). */
  phases: number
  tabs: { name: string; written: number; phasesWithWrites: number; phasesWithArrivals: number }[]
  roomBefore: string
  roomAfterWipe: string
  finalRoots: Record<string, string>
}

interface RelayHandle {
  host: string
  dir: string
  proc: HostProc
  http: string
  args: string[]
}

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']

/** Runs the scenario in a fresh lab; always tears the lab down. */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioReport> {
  const presenceIntervalMs = o.presenceIntervalMs ?? 1000
  const phaseMs = o.phaseMs ?? 15_000
  const convergeTimeoutMs = o.convergeTimeoutMs ?? 120_000
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-hosts-'))
  const lab = new Lab()
  const tabs: LabTab[] = []
  let writers: Writers | undefined
  const procs: HostProc[] = []
  try {
    lab.addHost('web', 2)
    ;['r1', 'r2', 'r3'].forEach((h, i) => lab.addHost(h, 11 + i))
    AGENTS.forEach((h, i) => lab.addHost(h, 21 + i))
    lab.addHost('t1', 31)
    lab.addHost('t2', 32)
    const t0 = Date.now()
    const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`

    // Relays: the first creates the room; the others join it with an admin invite.
    const relays = new Map<string, RelayHandle>()
    const startOne = async (host: string, args: string[]) => {
      const dir = join(tmp, host)
      const r = await startRelay(lab, { host, dataDir: dir, presenceIntervalMs, extra: args })
      relays.set(host, { host, dir, proc: r.proc, http: r.http, args })
      procs.push(r.proc)
      return r
    }
    const r1 = await startOne('r1', [])
    const room = r1.room
    const invites = printedInvites(r1.proc, relays.get('r1')!.dir)
    // One invite for both joining relays and relay 3's rejoin with a new key (a third use).
    const relayInvite = invites.admin
    const httpOf = (h: string) => `http://${lab.host(h).addr}:7781`
    await startOne('r2', ['--join', httpOf('r1'), '--invite', relayInvite])
    await startOne('r3', ['--join', `${httpOf('r1')},${httpOf('r2')}`, '--invite', relayInvite])
    o.log(`[${since()}] relays up: room ${room}`)

    const web = await startWeb(lab, 'web', ['r1', 'r2', 'r3'].map(httpOf))
    procs.push(web.proc)
    const agents = new Map<string, AgentProc>()
    await Promise.all(
      AGENTS.map(async (name) => {
        const agent = await startAgent(lab, { host: name, name, relays: ['r1', 'r2', 'r3'].map(httpOf), dataDir: join(tmp, name), invite: invites.agent })
        agents.set(name, agent)
        procs.push(agent)
      }),
    )
    o.log(`[${since()}] ${agents.size} agents joined`)
    for (const name of ['t1', 't2']) {
      const tab = await LabTab.open(lab, name, name, tmp)
      await tab.join(web.url, invites.reviewer, 'reviewer')
      tabs.push(tab)
    }
    o.log(`[${since()}] 2 tabs joined as reviewers`)

    writers = new Writers(agents, tabs, { agentEveryMs: 700, tabEveryMs: 2000 })
    const w = writers
    const agentDir = (name: string) => join(tmp, name, 'agents', name)
    const liveNodeReplicas = () => [
      ...[...relays.values()].filter((r) => r.proc.running).map((r) => ({ name: r.host, dir: r.dir })),
      ...AGENTS.map((a) => ({ name: a, dir: agentDir(a) })),
    ]

    /** Waits until every live replica holds every event acknowledged up to `t`; returns ms after `t`. */
    const converge = async (label: string, t: number, replicas = liveNodeReplicas()): Promise<number> => {
      const acked = w.ackedBefore(t)
      const ids = acked.map((a) => a.id)
      const tasks = acked.flatMap((a) => (a.taskId ? [a.taskId] : []))
      const deadline = Date.now() + convergeTimeoutMs
      for (;;) {
        const lagging: string[] = []
        for (const r of replicas) {
          const missing = missingIds(r.dir, ids).length
          if (missing > 0) lagging.push(`${r.name} lacks ${missing}`)
        }
        for (const tab of tabs) {
          const missing = await tab.page.evaluate((want) => {
            const s = window.chorus?.room.getState().state
            return want.filter((t) => !s?.tasks.has(t)).length
          }, tasks)
          if (missing > 0) lagging.push(`${tab.name} lacks ${missing} tasks`)
        }
        if (lagging.length === 0) {
          const ms = Date.now() - t
          o.log(`[${since()}] converged after ${label}: ${(ms / 1000).toFixed(1)} s (${ids.length} events acknowledged before it)`)
          return ms
        }
        if (Date.now() > deadline) throw new Error(`no convergence ${convergeTimeoutMs} ms after ${label}: ${lagging.join(', ')}`)
        await new Promise((r) => setTimeout(r, 500))
      }
    }

    // Each phase: the tabs must write, and receive agents' events, while it lasts.
    const tabPhases = new Map(tabs.map((t) => [t.name, { writes: 0, arrivals: 0 }]))
    let phases = 0
    const phase = async (label: string, ms: number) => {
      phases++
      const start = Date.now()
      const before = await Promise.all(tabs.map((t) => t.events()))
      await new Promise((r) => setTimeout(r, ms))
      const after = await Promise.all(tabs.map((t) => t.events()))
      tabs.forEach((t, i) => {
        const p = tabPhases.get(t.name)!
        if (w.countSince(t.name, start) > 0) p.writes++
        if (after[i] > before[i]) p.arrivals++
      })
      o.log(`[${since()}] ${label}: ${w.stats.acked.length} events acknowledged so far, ${w.stats.failed.length} writes failed`)
    }

    const convergenceMs: Record<string, number> = {}
    await phase('writing', phaseMs)
    convergenceMs.start = await converge('start', Date.now())

    // Fault 1: relay 1's process dies.
    await relays.get('r1')!.proc.kill('SIGKILL')
    const killedAt = Date.now()
    o.log(`[${since()}] relay 1 killed (SIGKILL)`)
    // Events acknowledged before the kill reach every replica while the writers go on.
    const [, afterKill] = await Promise.all([phase('without relay 1', phaseMs), converge('relay 1 killed', killedAt)])
    convergenceMs['relay 1 killed'] = afterKill

    // Fault 2: {relay 2, agents 1–3} | {relay 3, agents 4–6, tabs, web}.
    lab.partition(['r2', 'a1', 'a2', 'a3'])
    o.log(`[${since()}] partitioned {r2, a1, a2, a3} from the rest`)
    await phase('partitioned', phaseMs)
    lab.heal()
    const healedAt = Date.now()
    o.log(`[${since()}] healed`)
    convergenceMs['partition healed'] = await converge('partition healed', healedAt)
    await phase('healed', phaseMs / 2)

    // Fault 3: relay 3's disk is wiped; it restarts with the same command line.
    const r3 = relays.get('r3')!
    await r3.proc.kill('SIGKILL')
    rmSync(r3.dir, { recursive: true, force: true })
    o.log(`[${since()}] relay 3 killed and its data directory wiped`)
    // The tabs are watched from the kill on, while relay 3 is down and while it rejoins.
    const wipedPhase = phase('relay 3 wiped and rejoining', phaseMs / 2)
    const r3again = await startOne('r3', r3.args)
    const rejoinedAt = Date.now()
    o.log(`[${since()}] relay 3 restarted empty: serves room ${r3again.room} as ${r3again.peerId}`)
    convergenceMs['relay 3 rejoined'] = await converge('relay 3 rejoined', rejoinedAt)
    await wipedPhase

    // Fault 4: relay 1 returns with its disk but on a new address.
    lab.readdress('r1', 41)
    const r1h = relays.get('r1')!
    await startOne('r1', r1h.args)
    const movedAt = Date.now()
    o.log(`[${since()}] relay 1 restarted on a new address ${lab.host('r1').addr}`)
    convergenceMs['relay 1 moved'] = await converge('relay 1 moved', movedAt)
    await phase('all relays back', phaseMs / 2)

    await w.stop()
    const stoppedAt = Date.now()
    convergenceMs.final = await converge('writers stopped', stoppedAt)
    const finalRoots = await equalRoots(relays, AGENTS.map((a) => ({ name: a, dir: agentDir(a) })), tabs, convergeTimeoutMs)
    o.log(`[${since()}] every replica has root ${Object.values(finalRoots)[0]}`)
    const allIds = w.stats.acked.map((a: Ack) => a.id)
    let lost = 0
    for (const r of liveNodeReplicas()) lost = Math.max(lost, missingIds(r.dir, allIds).length)
    return {
      written: allIds.length,
      lost,
      failedWrites: w.stats.failed.length,
      convergenceMs,
      phases,
      tabs: tabs.map((t) => ({ name: t.name, written: w.stats.acked.filter((a) => a.by === t.name).length, phasesWithWrites: tabPhases.get(t.name)!.writes, phasesWithArrivals: tabPhases.get(t.name)!.arrivals })),
      roomBefore: room,
      roomAfterWipe: r3again.room,
      finalRoots,
    }
  } catch (err) {
    keepOutputs(procs, o.log)
    throw err
  } finally {
    await writers?.stop().catch(() => undefined)
    for (const t of tabs) await t.close()
    lab.teardown()
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** Writes every process's output to a directory that outlives the lab, and says where. */
function keepOutputs(procs: HostProc[], log: (line: string) => void): void {
  const dir = process.env.CHORUS_HOSTS_LOGS ?? join(tmpdir(), `chorus-hosts-logs-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  procs.forEach((p, i) => {
    writeFileSync(join(dir, `${String(i).padStart(2, '0')}-${p.label.replace(/\W+/g, '-')}.log`), p.output())
    log(`${p.label}: ${p.running ? 'running' : `exited (${p.child.exitCode ?? p.child.signalCode})`}`)
  })
  log(`process outputs kept in ${dir}`)
}

/** Waits until every replica shows one root; returns them by replica. */
async function equalRoots(relays: Map<string, RelayHandle>, agents: { name: string; dir: string }[], tabs: LabTab[], timeoutMs: number): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const roots: Record<string, string> = {}
    for (const r of relays.values()) roots[r.host] = readReplica(r.dir).root
    for (const a of agents) roots[a.name] = readReplica(a.dir).root
    for (const t of tabs) roots[t.name] = await t.root()
    if (new Set(Object.values(roots)).size === 1) return roots
    if (Date.now() > deadline) throw new Error(`replicas still differ after the writers stopped: ${JSON.stringify(roots, null, 1)}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}
