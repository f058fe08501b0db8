/**
 * Scale out over several relays: N agents over one relay, then over three
 * relays of one room, in the same run. Each relay runs in a child process of its own (this
 * file is also that child's entry, `--relay-child`), as it would on a host of its own, and the
 * agents run in the scale benchmark's agent children (≤ 25 per process), given every relay's
 * URL: each keeps two relays (its own ranking), so three relays each carry about 2N/3 agents, and
 * takes its gossip from one of them (ADR 0029), so each relay forwards to about N/3.
 * Measured per configuration: reach-all (author → stored by every other agent, p50/p99 over
 * rotating authors) and idle traffic per agent (loopback bytes over a quiet window with only
 * presence, heartbeats and sync rounds, divided by N and by the window).
 */
import '../lib/node/polyfills'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRelay } from '../lib/node/relay'
import { silentLogger, type Logger } from '../lib/node/log'
import { eventsTopic } from '../lib/net/topics'
import { idleBreakdown, tallyGossip } from './gossip-tally'
import { loopbackBytes, pct, storedTimes, wallNow } from './mesh'
import { round } from './room'
import { AGENTS_PER_CHILD, AgentChild, type Reply } from './scale-child'
import { loadMeter, type Load } from './load-meter'
import type { BenchOptions, BenchResult } from './types'

type RelayReply =
  | { t: 'ready'; httpUrl: string; peerId: string; agentInvite?: string; adminInvite?: string }
  | { t: 'status'; relays: number; members: number; connections: number; load: Load }
  | { t: 'stored'; at: number | null }
  | { t: 'gossip'; meshEvents: number; relaysInMeshEvents: number; connections: number; connectionsToRelays: number; closes: number; maxPingMs: number; slowPings: number; warns: Record<string, number> }
  | { t: 'tally'; counts: Record<string, number>; syncSent: number }
  | { t: 'error'; message: string }

type RelayCommand = { t: 'status' } | { t: 'stop' } | { t: 'stored'; id: string } | { t: 'gossip'; relays: string[] } | { t: 'tally'; reset: boolean }

/** The child's side: one relay (creating the room, or joining RELAY_JOIN), then `status` until `stop`. */
async function runRelayChild(): Promise<void> {
  const env = process.env
  const send = (r: RelayReply) => process.send?.(r)
  try {
    const join = env.RELAY_JOIN ? [env.RELAY_JOIN] : undefined
    // Warnings counted by kind (sync failures, dropped connections): where a slow run loses time.
    const warns: Record<string, number> = {}
    const count: Logger = { ...silentLogger, warn: (event, f) => { const k = `${event}${f?.reason ? `:${String(f.reason).slice(0, 40)}` : ''}`; warns[k] = (warns[k] ?? 0) + 1 }, child: () => count }
    const relay = await startRelay({ log: count, dataDir: env.RELAY_DIR as string, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: Number(env.SCALE_PRESENCE_MS ?? 5000), syncIntervalMs: 5000, join, invite: env.RELAY_ADMIN_INVITE, onLog: () => {} })
    const first = join == null
    const load = loadMeter()
    const seen = storedTimes(relay.peer)
    const tally = tallyGossip(relay.node.services.pubsub, (id) => (relay.mesh.connected().includes(id) ? 'relay' : 'agent'))
    let syncAtReset = 0
    let closes = 0
    relay.node.addEventListener('connection:close', () => closes++)
    // The slowest ping answer seen, and how many connections answered one slower than libp2p's
    // default 5 s ping timeout (which would have aborted them).
    let maxPingMs = 0
    const slowPings = new Set<string>()
    const pings = setInterval(() => {
      for (const c of relay.node.getConnections()) {
        const rtt = c.rtt ?? 0
        if (rtt > maxPingMs) maxPingMs = rtt
        if (rtt > 5000) slowPings.add(c.id)
      }
    }, 1000)
    pings.unref()
    send({
      t: 'ready',
      httpUrl: relay.httpUrl,
      peerId: relay.node.peerId.toString(),
      ...(first ? { agentInvite: await relay.invite({ role: 'agent', maxUses: Number(env.RELAY_AGENTS) + 5 }), adminInvite: await relay.invite({ role: 'admin', maxUses: 5 }) } : {}),
    })
    process.on('disconnect', () => process.exit(0))
    process.on('message', (cmd: RelayCommand) => {
      if (cmd.t === 'status') return send({ t: 'status', relays: relay.mesh.connected().length, members: relay.peer.host.replica.state.members.size, connections: relay.node.getConnections().length, load: load() })
      if (cmd.t === 'stored') return send({ t: 'stored', at: seen.get(cmd.id) ?? (relay.peer.host.replica.log.has(cmd.id as never) ? wallNow() : null) })
      if (cmd.t === 'tally') {
        const out: RelayReply = { t: 'tally', counts: tally.counts(), syncSent: relay.peer.sync.stats.bytesSent - syncAtReset }
        if (cmd.reset) {
          tally.reset()
          syncAtReset = relay.peer.sync.stats.bytesSent
        }
        return send(out)
      }
      if (cmd.t === 'gossip') {
        // getMeshPeers is on the implementation, not on the exported interface.
        const mesh: string[] = (relay.node.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(eventsTopic(relay.info().room))
        const conns = relay.node.getConnections()
        return send({ t: 'gossip', meshEvents: mesh.length, relaysInMeshEvents: mesh.filter((p) => cmd.relays.includes(p)).length, connections: conns.length, connectionsToRelays: conns.filter((c) => cmd.relays.includes(c.remotePeer.toString())).length, closes, maxPingMs, slowPings: slowPings.size, warns })
      }
      void relay.stop().finally(() => process.exit(0))
    })
  } catch (err) {
    send({ t: 'error', message: (err as Error).message })
    process.exit(1)
  }
}

if (process.argv.includes('--relay-child')) void runRelayChild()

/** A relay in a child process. */
class RelayChild {
  private readonly proc: ChildProcess
  readonly ready: Promise<Extract<RelayReply, { t: 'ready' }>>

  constructor(env: Record<string, string>) {
    this.proc = fork(fileURLToPath(import.meta.url), ['--relay-child'], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('message', (r: RelayReply) => (r.t === 'ready' ? resolve(r) : reject(new Error(r.t === 'error' ? r.message : 'relay child failed'))))
      this.proc.once('exit', (code) => reject(new Error(`relay child exited with ${code}`)))
    })
  }

  status(): Promise<Extract<RelayReply, { t: 'status' }>> {
    return this.ask({ t: 'status' })
  }

  /** One command, one reply (the parent asks one at a time). */
  ask<R extends RelayReply>(cmd: RelayCommand): Promise<R> {
    return new Promise((resolve) => {
      this.proc.once('message', (r: RelayReply) => resolve(r as R))
      this.proc.send(cmd)
    })
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode != null) return
    const exited = new Promise((r) => this.proc.once('exit', r))
    this.proc.send({ t: 'stop' })
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(timer)
  }
}

interface Row {
  n: number
  relays: number
  p50: number
  p99: number
  lost: number
  events: number
  /** Loopback bytes per agent per second with no events. */
  idle: number
  /** The same window's gossip and sync bytes by kind, per agent per second (idleBreakdown). */
  idleByKind: Record<string, number>
  /** From the first relay's start until every agent held every join (s). */
  setupS: number
  children: number
}

/** Prints each relay's and agent process's members, connections, CPU share and event-loop p99 delay. */
async function profile(what: string, relayProcs: RelayChild[], children: AgentChild[]): Promise<void> {
  const rs = await Promise.all(relayProcs.map((r) => r.status()))
  const cs = await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'members' }>>({ t: 'members' }).catch(() => undefined)))
  const fmt = (l: Load) => `cpu ${l.cpu} lag ${l.lagMs} ms`
  console.error(`scale-relays: ${what}; relays ${rs.map((r) => `[members ${r.members}, conns ${r.connections}, ${fmt(r.load)}]`).join(' ')}; agent processes ${cs.map((c) => (c == null ? '[busy]' : `[members ${c.min}–${c.max}, beats every ${c.paceMs} ms, ${fmt(c.load)}]`)).join(' ')}`)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}

async function measure(n: number, relays: number, events: number, idleMs: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'chorus-bench-relays-'))
  const relayProcs: RelayChild[] = []
  const children: AgentChild[] = []
  const t0 = Date.now()
  try {
    relayProcs.push(new RelayChild({ RELAY_DIR: join(dir, 'relay0'), RELAY_AGENTS: String(n) }))
    const first = await relayProcs[0].ready
    const urls = [first.httpUrl]
    const relayIds = [first.peerId]
    for (let k = 1; k < relays; k++) {
      relayProcs.push(new RelayChild({ RELAY_DIR: join(dir, `relay${k}`), RELAY_JOIN: first.httpUrl, RELAY_ADMIN_INVITE: first.adminInvite as string }))
      const r = await relayProcs[k].ready
      urls.push(r.httpUrl)
      relayIds.push(r.peerId)
    }
    const gossip = async (when: string) => {
      const gs = await Promise.all(relayProcs.map((r) => r.ask<Extract<RelayReply, { t: 'gossip' }>>({ t: 'gossip', relays: relayIds })))
      // With standbys (ADR 0029) every agent is in one relay's mesh: the agents meshed sum to about N, not 2N.
      const meshed = gs.reduce((sum, g) => sum + g.meshEvents - g.relaysInMeshEvents, 0)
      console.error(`scale-relays: N=${n}/${relays} ${when}: agents in a relay's events mesh ${meshed} in all; ${gs.map((g, k) => `relay${k} mesh(events) ${g.meshEvents} (${g.relaysInMeshEvents} relays), conns ${g.connections} (${g.connectionsToRelays} to relays), closed ${g.closes}, slowest ping ${g.maxPingMs} ms, ${g.slowPings} pings > 5 s, warns ${JSON.stringify(g.warns)}`).join('; ')}`)
    }
    await waitFor('the relays to hold each other', async () => (await Promise.all(relayProcs.map((r) => r.status()))).every((s) => s.relays >= relays - 1), 60_000)
    const agentsOf: { child: AgentChild; index: number; peer: string }[] = []
    // The set-up's profile every 20 s: where it stands, and which processes are busy.
    // A child answers commands only once its agents started; the relays answer one ask at a time.
    const ready: AgentChild[] = []
    let profiling: Promise<void> = Promise.resolve()
    const progress = setInterval(() => {
      profiling = profiling.then(() => profile(`N=${n}/${relays} set-up at ${Math.round((Date.now() - t0) / 1000)} s, ${agentsOf.length} agents started`, relayProcs, ready))
    }, 20_000)
    try {
      for (let offset = 0; offset < n; offset += AGENTS_PER_CHILD) {
        const count = Math.min(AGENTS_PER_CHILD, n - offset)
        const child = new AgentChild({ SCALE_RELAY: urls.join(','), SCALE_INVITE: first.agentInvite as string, SCALE_DIR: dir, SCALE_COUNT: String(count), SCALE_OFFSET: String(offset), SCALE_SYNC_MS: '5000' })
        children.push(child)
        const peers = await child.ready
        ready.push(child)
        peers.forEach((peer, index) => agentsOf.push({ child, index, peer }))
      }
      // Members: the agents, the owner relay and every relay that joined.
      const everyJoin = async () => (await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'members' }>>({ t: 'members' })))).every((r) => r.min >= n + relays)
      await waitFor('every join everywhere', everyJoin, 60_000 + 2000 * n)
    } finally {
      clearInterval(progress)
      await profiling.catch(() => undefined)
    }
    const setupS = round((Date.now() - t0) / 1000, 1)
    console.error(`scale-relays: N=${n} over ${relays} relay(s): set up in ${setupS} s`)
    await gossip('after set-up')

    await sleep(3000)
    const agentSync = async () => (await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'stats' }>>({ t: 'stats' })))).reduce((s, r) => s + r.syncBytes, 0)
    await Promise.all(relayProcs.map((r) => r.ask({ t: 'tally', reset: true })))
    const sync0 = await agentSync()
    const b0 = await loopbackBytes()
    await sleep(idleMs)
    const idle = ((await loopbackBytes()) - b0) / (idleMs / 1000) / n
    const perAgent = (bytes: number) => round(bytes / (idleMs / 1000) / n, 0)
    const idleByKind = idleBreakdown(await Promise.all(relayProcs.map((r) => r.ask<Extract<RelayReply, { t: 'tally' }>>({ t: 'tally', reset: false }))), (await agentSync()) - sync0, perAgent)
    console.error(`scale-relays: N=${n}/${relays} idle ${round(idle, 0)} B/s per agent (loopback); by kind, B/s per agent: ${JSON.stringify(idleByKind)}`)

    const reach: number[] = []
    let lost = 0
    for (let i = 0; i < events; i++) {
      const author = agentsOf[(i * 7) % n]
      const a = await author.child.ask<Extract<Reply, { t: 'authored' }>>({ t: 'author', agent: author.index, taskId: `relays-${n}-${relays}-${i}`, repository: `github.com/acme/r${i % 5}`, title: `Implement scale endpoint ${i}` })
      const replies = await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'arrivals' }>>({ t: 'watch', id: a.id, timeoutMs: 15_000 })))
      const times = replies.flatMap((r) => r.times).filter((_, k) => agentsOf[k].peer !== author.peer).map((x) => (x == null ? Number.NaN : Math.max(0, x - a.start)))
      const missing = times.filter(Number.isNaN).length
      const atRelays = await Promise.all(relayProcs.map((r) => r.ask<Extract<RelayReply, { t: 'stored' }>>({ t: 'stored', id: a.id })))
      const sorted = times.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y)
      console.error(`scale-relays: event ${i}: relays stored at ${atRelays.map((r) => (r.at == null ? 'never' : Math.round(r.at - a.start))).join('/')} ms; agents p10 ${Math.round(pct(sorted, 0.1))} p50 ${Math.round(pct(sorted, 0.5))} p90 ${Math.round(pct(sorted, 0.9))} max ${Math.round(sorted[sorted.length - 1] ?? NaN)} ms, ${missing} missed`)
      lost += missing
      reach.push(missing > 0 ? Number.NaN : Math.max(a.authoredIn, ...times))
      await sleep(100)
    }
    await gossip('after the events')
    return { n, relays, p50: round(pct(reach, 0.5)), p99: round(pct(reach, 0.99)), lost, events, idle: round(idle, 0), idleByKind, setupS, children: children.length }
  } finally {
    // In parallel: stopping 100 agents one process after another took minutes of the run.
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)))
    await Promise.all(relayProcs.map((r) => r.stop().catch(() => undefined)))
    await rm(dir, { recursive: true, force: true })
  }
}

/** Agent counts to run (`SCALE_RELAYS_N=100,300` overrides; quick: 4). */
function sizes(quick: boolean): number[] {
  const env = process.env.SCALE_RELAYS_N
  if (env) return env.split(',').map(Number).filter((x) => x > 0)
  return quick ? [4] : [100]
}

/**
 * Relay counts to run at each N, in order (`SCALE_RELAYS_COUNTS=3` runs one side alone, for a
 * diagnosis). `SCALE_PRESENCE_MS` sets the room's presence interval (default 5000).
 */
function relayCounts(): number[] {
  const env = process.env.SCALE_RELAYS_COUNTS
  return env ? env.split(',').map(Number).filter((x) => x > 0) : [3, 1]
}

/** 1 relay vs 3 relays at each N, same run. */
export async function benchScaleRelays({ quick }: BenchOptions): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  const failed: string[] = []
  for (const n of sizes(quick)) {
    const rows: Row[] = []
    // Three relays first: its set-up is the slower one, and a run cut short still has it.
    for (const relays of relayCounts()) {
      try {
        rows.push(await measure(n, relays, quick ? 3 : Number(process.env.SCALE_RELAYS_EVENTS ?? 12), quick ? 3000 : 10_000))
        console.error(`scale-relays: ${JSON.stringify(rows[rows.length - 1])}`)
      } catch (err) {
        failed.push(`N = ${n} over ${relays} relay(s) not measured: ${(err as Error).message}`)
        console.error(`scale-relays: ${failed[failed.length - 1]}`)
      }
    }
    const [one, three] = [rows.find((r) => r.relays === 1), rows.find((r) => r.relays === 3)]
    if (one == null || three == null) continue
    const how = (r: Row) => `${r.relays} relay(s): p50 ${r.p50} ms, p99 ${r.p99} ms over ${r.events} events, ${r.lost} agent-arrivals missed in 15 s, idle ${r.idle} B/s per agent, set up in ${r.setupS} s`
    const shared = process.env.SCALE_SHARED_VERIFY === '1' ? ' The agents of one process check each presence beat once between them (SCALE_SHARED_VERIFY).' : ''
    const note = `N = ${n} agents in ${three.children} child process(es) of ≤ ${AGENTS_PER_CHILD}, each relay in its own process, all on 127.0.0.1 (2 shared cores); agents keep 2 relays each, one of them in their gossip mesh; the room's presence interval ${process.env.SCALE_PRESENCE_MS ?? 5000} ms, which agents stretch as the room grows (ADR 0092).${shared} ${how(three)}; ${how(one)}`
    out.push({ name: `scale.relays3-vs-1.reach-all.p50@${n}`, value: three.p50, unit: 'ms', baseline: { name: 'the same N over 1 relay, same run', value: one.p50, unit: 'ms' }, ratio: round(three.p50 / one.p50, 2), note })
    out.push({ name: `scale.relays3-vs-1.reach-all.p99@${n}`, value: three.p99, unit: 'ms', baseline: { name: 'the same N over 1 relay, same run', value: one.p99, unit: 'ms' }, ratio: round(three.p99 / one.p99, 2), note })
    out.push({ name: `scale.relays3-vs-1.idle-bytes-per-agent@${n}`, value: three.idle, unit: 'B/s', baseline: { name: 'the same N over 1 relay, same run', value: one.idle, unit: 'B/s' }, ratio: round(three.idle / one.idle, 2), note })
  }
  if (out.length === 0) throw new Error(`scale-relays: nothing measured (${failed.join('; ')})`)
  if (failed.length > 0) for (const r of out) r.note = `${r.note}; ${failed.join('; ')}`
  return out
}
