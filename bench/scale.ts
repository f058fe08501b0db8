/**
 * Scale simulation: a relay and N agents on loopback (real libp2p over WebSockets).
 * The relay runs in this process and the agents in child processes of at most AGENTS_PER_CHILD
 * each (this file is also the child's entry, `--scale-child`): with 100 peers on one event
 * loop the run measured the loop, not the mesh, and took too long. For each N: time from `author` until every peer has stored the event (p50/p99
 * over several events from rotating authors), duplicate offers per event, loopback bytes per
 * event, next to a libp2p ping round trip agent → relay measured in the same run (an event
 * needs two hops, so ~1 RTT plus verify and store is the floor).
 */
// libp2p 3 needs Promise.withResolvers and a global WebSocket on Node 20 (this file is also a child's entry).
import '../lib/node/polyfills'
import type { MeshAgent } from '../lib/node/agent/mesh-agent'
import { peerIdFromString } from '@libp2p/peer-id'
import { eventsTopic } from '../lib/net/topics'
import { loadMeter } from './load-meter'
import { AGENTS_PER_CHILD, AgentChild, type Command, type Reply } from './scale-child'
import { sharedVerifier } from './shared-verifier'
import { loopbackBytes, pct, startAgents, startMesh, storedTimes, until, wallNow } from './mesh'
import { round } from './room'
import type { BenchOptions, BenchResult } from './types'

type Counters = Omit<Extract<Reply, { t: 'stats' }>, 't'>
/** Counters summed over peers: log outcomes (every offer, by gossip or sync) and the sync services' own. */
function sumStats(peers: readonly MeshAgent['peer'][], meshDrops = 0): Counters {
  const out: Counters = { duplicates: 0, syncBytes: 0, syncReceived: 0, syncAdded: 0, offered: 0, meshDrops }
  for (const p of peers) {
    const log = p.host.replica.log.stats()
    out.duplicates += log.duplicate
    out.offered += log.accepted + log.duplicate
    out.syncBytes += p.sync.stats.bytesSent
    out.syncReceived += p.sync.stats.eventsReceived
    out.syncAdded += p.sync.stats.eventsAdded
  }
  return out
}

/** The child's side: starts its agents, then answers commands until told to stop. */
async function runChild(): Promise<void> {
  const env = process.env
  const send = (r: Reply) => process.send?.(r)
  const agents: MeshAgent[] = []
  const load = loadMeter()
  try {
    // SCALE_SHARED_VERIFY=1: the agents of this process check each presence beat once (shared-verifier.ts).
    const extra = env.SCALE_SHARED_VERIFY === '1' ? { presenceVerifier: sharedVerifier() } : {}
    await startAgents(env.SCALE_RELAY as string, env.SCALE_INVITE as string, env.SCALE_DIR as string, Number(env.SCALE_COUNT), Number(env.SCALE_SYNC_MS), Number(env.SCALE_OFFSET), agents, undefined, extra)
  } catch (err) {
    send({ t: 'error', message: (err as Error).message })
    process.exit(1)
  }
  const seen = agents.map((a) => storedTimes(a.peer))
  // An agent that prunes its relay from its events mesh gets no event by gossip until it
  // grafts it again (its prune backoff, seconds): such events arrive with a sync round.
  let meshDrops = 0
  for (const a of agents) {
    const topic = eventsTopic(a.peer.host.room)
    a.node.services.pubsub.addEventListener('gossipsub:prune', (e) => {
      if (e.detail.direction === 'outbound' && e.detail.topic === topic) meshDrops++
    })
  }
  send({ t: 'ready', peers: agents.map((a) => a.peer.signer.peerId) })
  // The parent went away (killed, crashed): do not outlive it.
  process.on('disconnect', () => process.exit(0))
  process.on('message', (cmd: Command) => {
    void (async () => {
      try {
        if (cmd.t === 'author') {
          const start = wallNow()
          const enc = await agents[cmd.agent].peer.author('task.claimed', { taskId: cmd.taskId, projectId: 'p', repository: cmd.repository, title: cmd.title, description: 'scale run' })
          send({ t: 'authored', id: enc.id, start, authoredIn: wallNow() - start })
        } else if (cmd.t === 'watch') {
          const has = () => agents.every((a) => a.peer.host.replica.log.has(cmd.id as never))
          await until('the event', has, cmd.timeoutMs).catch(() => undefined)
          // An arrival the notifications missed (a big batch) is timed now: an upper bound.
          send({ t: 'arrivals', times: agents.map((a, i) => (a.peer.host.replica.log.has(cmd.id as never) ? (seen[i].get(cmd.id) ?? wallNow()) : null)) })
        } else if (cmd.t === 'members') {
          const sizes = agents.map((a) => a.peer.host.replica.state.members.size)
          send({ t: 'members', min: Math.min(...sizes), max: Math.max(...sizes), load: load(), paceMs: Math.max(...agents.map((a) => a.presence.paceMs)) })
        } else if (cmd.t === 'stats') {
          send({ t: 'stats', ...sumStats(agents.map((a) => a.peer), meshDrops) })
        } else {
          for (const a of agents) await a.stop().catch(() => undefined)
          send({ t: 'stats', duplicates: 0, syncBytes: 0, syncReceived: 0, syncAdded: 0, offered: 0, meshDrops: 0 })
          process.exit(0)
        }
      } catch (err) {
        send({ t: 'error', message: (err as Error).message })
      }
    })()
  })
}

if (process.argv.includes('--scale-child')) void runChild()

interface ScaleRow {
  n: number
  p50: number
  p99: number
  rtt: number
  dupPerEvent: number
  bytesPerEvent: number
  /** Loopback bytes per event over the window, background included (nothing subtracted). */
  loopbackPerEvent: number
  /** Gossip-delivered copies per event (offers minus those by sync minus the author's own add). */
  gossipCopies: number
  /** Duplicate offers per event that came by sync (the rest came by gossip). */
  syncDupPerEvent: number
  /** Anti-entropy bytes sent (all peers) per event, from the sync services' own counters. */
  syncBytesPerEvent: number
  events: number
  lost: number
  /** Median over events of the peers that had it within 1 s. */
  within1s: number
  /** The relay's gossipsub mesh on the events topic (it forwards eagerly only to these). */
  relayMesh: number
  /** Child processes the agents ran in. */
  children: number
  /** The agents' prunes of their relay from their events mesh, since their process was ready / while measuring. */
  meshDrops: number
  meshDropsMeasuring: number
}

/** The gossipsub mesh on `topic`: the class has getMeshPeers, its exported interface does not. */
function meshSize(pubsub: unknown, topic: string): number {
  const ps = pubsub as { getMeshPeers?: (t: string) => string[] }
  return ps.getMeshPeers?.(topic).length ?? Number.NaN
}

async function one(n: number, events: number): Promise<ScaleRow> {
  const syncIntervalMs = 5000
  // SCALE_PORT_BASE: the relay listens on it and the next port (a shared machine's assigned range).
  const portBase = process.env.SCALE_PORT_BASE ? Number(process.env.SCALE_PORT_BASE) : undefined
  const mesh = await startMesh(n, { syncIntervalMs, agentsHere: false, portBase })
  const children: AgentChild[] = []
  try {
    const relay = mesh.relay
    const invite = await relay.invite({ role: 'agent', maxUses: n + 5 })
    const relaySeen = storedTimes(relay.peer)
    // Children start one after another: start-up is handshake-bound and 2 cores are shared.
    const agentsOf: { child: AgentChild; index: number; peer: string }[] = []
    for (let offset = 0; offset < n; offset += AGENTS_PER_CHILD) {
      const count = Math.min(AGENTS_PER_CHILD, n - offset)
      const child = new AgentChild({ SCALE_RELAY: relay.httpUrl, SCALE_INVITE: invite, SCALE_DIR: mesh.dir, SCALE_COUNT: String(count), SCALE_OFFSET: String(offset), SCALE_SYNC_MS: String(syncIntervalMs) })
      children.push(child)
      const peers = await child.ready
      peers.forEach((peer, index) => agentsOf.push({ child, index, peer }))
    }
    console.error(`scale: N=${n}: ${n} agents started in ${children.length} child process(es)`)
    const everyJoin = async () => (await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'members' }>>({ t: 'members' })))).every((r) => r.min >= n + 1)
    const deadline = Date.now() + 60_000 + 2000 * n
    while (relay.peer.host.replica.state.members.size < n + 1 || !(await everyJoin())) {
      if (Date.now() > deadline) throw new Error('timed out waiting for every join everywhere')
      await new Promise((r) => setTimeout(r, 250))
    }
    const stats = async (): Promise<Counters> => {
      const rs = await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'stats' }>>({ t: 'stats' })))
      const sum = sumStats([relay.peer as MeshAgent['peer']])
      for (const r of rs) for (const k of Object.keys(sum) as (keyof Counters)[]) sum[k] += r[k]
      return sum
    }
    console.error(`scale: N=${n}: every join everywhere`)
    const rtts: number[] = []
    // Relay → agent round trips (timed here: ping() itself reports whole milliseconds).
    for (let i = 0; i < 9; i++) {
      const t = performance.now()
      // Bounded: a ping that never answers must not hang the run (it is dropped from the median).
      const ok = await relay.node.services.ping.ping(peerIdFromString(agentsOf[i % n].peer), { signal: AbortSignal.timeout(5000) }).then(() => true, () => false)
      if (ok) rtts.push(performance.now() - t)
    }
    const reach: number[] = []
    const fast: number[] = []
    let lost = 0
    const s0 = await stats()
    const b0 = await loopbackBytes()
    let eventBytes = 0
    for (let i = 0; i < events; i++) {
      const author = agentsOf[(i * 7) % n]
      const a = await author.child.ask<Extract<Reply, { t: 'authored' }>>({ t: 'author', agent: author.index, taskId: `scale-${n}-${i}`, repository: `github.com/acme/r${i % 5}`, title: `Implement scale endpoint ${i}` })
      const replies = await Promise.all(children.map((c) => c.ask<Extract<Reply, { t: 'arrivals' }>>({ t: 'watch', id: a.id, timeoutMs: 15_000 })))
      await until('the relay', () => relaySeen.has(a.id), 1000).catch(() => undefined)
      eventBytes += relay.peer.host.replica.log.get(a.id as never)?.bytes.length ?? 0
      const at = [relaySeen.get(a.id) ?? null, ...replies.flatMap((r) => r.times)].filter((_, k) => k === 0 || agentsOf[k - 1].peer !== author.peer)
      // From the start of authoring (sign + store + publish) until stored by every other peer.
      const times = at.map((x) => (x == null ? Number.NaN : Math.max(0, x - a.start)))
      fast.push(times.filter((x) => x <= 1000).length + 1)
      const missing = times.filter(Number.isNaN).length
      lost += missing
      reach.push(missing > 0 ? Number.NaN : Math.max(a.authoredIn, ...times))
      await new Promise((r) => setTimeout(r, 100))
    }
    const loopback = (await loopbackBytes()) - b0
    const s1 = await stats()
    const d = (k: keyof Counters) => s1[k] - s0[k]
    // Copies of the window's events that arrived by gossip: every offer a log saw, less those
    // sync brought and the author's own add. Counted by the peers themselves, so the presence,
    // heartbeats and sync rounds that run meanwhile cannot make it noisy (or negative).
    const gossipCopies = (d('offered') - d('syncReceived') - events) / events
    const bytes = gossipCopies * eventBytes + d('syncBytes')
    return {
      n,
      p50: round(pct(reach, 0.5)),
      p99: round(pct(reach, 0.99)),
      rtt: round(pct(rtts, 0.5), 2),
      dupPerEvent: round(d('duplicates') / events, 2),
      bytesPerEvent: round(bytes / events, 0),
      loopbackPerEvent: round(loopback / events, 0),
      gossipCopies: round(gossipCopies, 2),
      syncDupPerEvent: round((d('syncReceived') - d('syncAdded')) / events, 2),
      syncBytesPerEvent: round((s1.syncBytes - s0.syncBytes) / events, 0),
      events,
      lost,
      within1s: pct(fast, 0.5),
      relayMesh: meshSize(relay.node.services.pubsub, eventsTopic(relay.peer.host.room)),
      children: children.length,
      meshDrops: s1.meshDrops,
      meshDropsMeasuring: d('meshDrops'),
    }
  } finally {
    for (const c of children) await c.stop().catch(() => undefined)
    await mesh.stop()
  }
}

/** Runs the scale simulation. */
export async function benchScale({ quick }: BenchOptions): Promise<BenchResult[]> {
  // SCALE_SIZES (comma-separated) measures some sizes alone, e.g. the largest after a change to start-up.
  const sizes = process.env.SCALE_SIZES ? process.env.SCALE_SIZES.split(',').map(Number) : quick ? [3] : [10, 25, 50, 100]
  const rows: ScaleRow[] = []
  // A size that cannot be set up on a loaded machine (an agent process that cannot reach the
  // relay in time) is reported beside the others instead of losing the sizes already measured.
  const failed: string[] = []
  for (const n of sizes) {
    try {
      rows.push(await one(n, quick ? 3 : 20))
      console.error(`scale: ${JSON.stringify(rows[rows.length - 1])}`)
    } catch (err) {
      failed.push(`N = ${n} not measured: ${(err as Error).message}`)
      console.error(`scale: ${failed[failed.length - 1]}`)
    }
  }
  if (rows.length === 0) throw new Error(`scale: nothing measured (${failed.join('; ')})`)
  const first = rows[0]
  const out: BenchResult[] = []
  for (const r of rows) {
    out.push({
      name: `scale.reach-all.p50@${r.n}`,
      value: r.p50,
      unit: 'ms',
      baseline: { name: 'libp2p ping RTT relay → agent, same mesh', value: r.rtt, unit: 'ms' },
      ratio: round(r.p50 / r.rtt, 1),
      note: `p99 ${r.p99} ms over ${r.events} events (author → stored by all ${r.n + 1} peers: relay + ${r.n} agents in ${r.children} child process(es) of ≤ ${AGENTS_PER_CHILD}; star through the relay); ${r.lost} peer-arrivals missed in 15 s; ${r.n === first.n ? '' : `p50 ×${round(r.p50 / first.p50, 2)} vs N=${first.n}; `}${r.within1s} of ${r.n + 1} peers had it within 1 s (median), the relay's gossip mesh holds ${r.relayMesh} peers; the agents pruned their relay from their events mesh ${r.meshDrops} times since they started (${r.meshDropsMeasuring} while measuring: such an agent gets events by sync until it grafts the relay again); duplicate offers ${r.dupPerEvent}/event (${r.syncDupPerEvent} by sync, the rest by gossip); traffic ${r.bytesPerEvent} B/event (${round(r.bytesPerEvent / (r.n + 1), 0)} B per peer) = ${r.gossipCopies} gossip copies of the event + sync rounds ${r.syncBytesPerEvent} B/event (summaries included), counted by the peers (framing, encryption and gossip control messages not included); loopback ${r.loopbackPerEvent} B/event over the same window with presence, heartbeats and background sync included (nothing subtracted)${failed.length ? `; ${failed.join('; ')}` : ''}`,
    })
  }
  return out
}
