/**
 * The mesh the flood benchmark measures, in one of two shapes: every peer (relay + agents) in
 * its own process, as deployed (`processes`, forked from bench/flood-peer.ts), or all of them
 * on this process's one thread (`one-process`, bench/mesh.ts). Both give arrival times as wall
 * clock (comparable across processes on one machine) and the same counters.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EventId } from '../lib/core/ids'
import type { EventLog } from '../lib/core/log/log'
import type { PeerAsk, PeerStats } from './flood-peer'
import type { Watched } from './flood-sched'
import { startMesh, wallNow } from './mesh'
import { cpuMs } from './room'
import { OutsideStores, reportStores } from './flood-stores'

export type FloodShape = 'processes' | 'one-process'

/** An honest event authored by an agent: its id, when authoring began (wall ms) and how long it took. */
export interface Authored {
  id: string
  t0: number
  authoredMs: number
  /** Which event of the busiest author outside the mesh it cites: "seq S (head − k)" (the flooder's, during a flood). */
  cites: string
  /** Its references other than the author's own previous event. */
  deps: string[]
}

/** What an authored event cites of the author with the most events in `log`, among those not in `mesh` (the bench's own peers). */
export function busiestCited(log: EventLog, deps: readonly string[], mesh: readonly string[]): string {
  let best: { seq: number; top: number } | undefined
  for (const d of deps) {
    const s = log.get(d as EventId)
    if (!s || mesh.includes(s.event.author)) continue
    const top = log.topSeq(s.event.author)
    if (!best || top > best.top) best = { seq: s.event.seq, top }
  }
  return best ? `seq ${best.seq} (head − ${best.top - best.seq})` : 'none'
}

/** The mesh as the benchmark sees it; peer 0 is the relay, peer i + 1 agent i. */
export interface FloodMesh {
  shape: FloodShape
  relayUrl: string
  dir: string
  agents: number
  author(agent: number, taskId: string): Promise<Authored>
  /** Wall times at which `peers` stored `id` (NaN: not within `timeoutMs`). */
  stored(peers: readonly number[], id: string, timeoutMs: number): Promise<number[]>
  /** When `peer` stored `id` (wall ms), if it has. */
  storedAt(peer: number, id: string): number | undefined
  invite(maxUses: number): Promise<string>
  stats(): Promise<PeerStats[]>
  /** CPU ms used by the peers so far (this process in one-process, the children's sum otherwise). */
  cpuMs(): Promise<number>
  /** The processes running the peers, named for the note. */
  pids(): Watched[]
  stop(): Promise<void>
}

/** The shape the FLOOD_PEERS environment variable names; processes unless it says one-process. */
export function floodShape(env = process.env.FLOOD_PEERS): FloodShape {
  if (env === undefined || env === '' || env === 'processes') return 'processes'
  if (env === 'one-process') return 'one-process'
  throw new Error(`FLOOD_PEERS is processes or one-process, got ${env}`)
}

/** Wall times per event id per peer, filled as peers report stores; waiters are woken on each report. */
class Arrivals {
  private readonly at: Map<string, number>[]
  private readonly waiters = new Set<() => void>()
  constructor(peers: number) {
    this.at = Array.from({ length: peers }, () => new Map())
  }
  /** When `peer` stored `id` (wall ms), if it did. */
  when(peer: number, id: string): number | undefined {
    return this.at[peer].get(id)
  }
  note(peer: number, ids: readonly string[], t: number): void {
    for (const id of ids) if (!this.at[peer].has(id)) this.at[peer].set(id, t)
    for (const w of [...this.waiters]) w()
  }
  wait(peers: readonly number[], id: string, timeoutMs: number): Promise<number[]> {
    const times = () => peers.map((p) => this.at[p].get(id) ?? Number.NaN)
    return new Promise((resolve) => {
      const check = () => {
        if (times().some(Number.isNaN)) return
        finish()
      }
      const finish = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve(times())
      }
      const timer = setTimeout(finish, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }
}

/** Starts a relay and `n` joined agents in the given shape; everyone holds every join when it resolves. */
export async function startFloodMesh(shape: FloodShape, n: number, syncIntervalMs: number): Promise<FloodMesh> {
  return shape === 'one-process' ? startInProcess(n, syncIntervalMs) : startProcesses(n, syncIntervalMs)
}

async function startInProcess(n: number, syncIntervalMs: number): Promise<FloodMesh> {
  const mesh = await startMesh(n, { syncIntervalMs })
  const peers = mesh.peers()
  const ids = peers.map((q) => q.signer.peerId as string)
  const arrivals = new Arrivals(peers.length)
  const outside = peers.map(() => new OutsideStores())
  peers.forEach((p, i) => {
    reportStores(p, () => ids, (fresh, t) => arrivals.note(i, fresh, t), outside[i])
  })
  return {
    shape: 'one-process',
    relayUrl: mesh.relay.httpUrl,
    dir: mesh.dir,
    agents: n,
    async author(agent, taskId) {
      const t0 = wallNow()
      const peer = mesh.agents[agent].peer
      const enc = await peer.author('task.claimed', { taskId, projectId: 'p', repository: 'github.com/acme/honest', title: `Honest work ${taskId}`, description: '' })
      return { id: enc.id, t0, authoredMs: wallNow() - t0, cites: busiestCited(peer.host.replica.log, enc.event.deps, peers.map((q) => q.signer.peerId)), deps: enc.event.deps }
    },
    stored: (ps, id, timeoutMs) => arrivals.wait(ps, id, timeoutMs),
    storedAt: (peer, id) => arrivals.when(peer, id),
    invite: (maxUses) => mesh.relay.invite({ role: 'agent', maxUses }),
    stats: async () =>
      peers.map((p, i) => ({
        members: p.host.replica.state.members.size,
        received: p.gossip.received,
        limited: `${p.gossip.forwarderLimited}/${p.gossip.authorLimited}`,
        deferred: p.syncBudget.deferred,
        pulls: p.syncBudget.pulls,
        logSize: p.host.replica.log.size,
        logStats: p.host.replica.log.stats(),
        self: p.signer.peerId,
        cpuMs: 0,
        perSec: p.authors.limits.perSec,
        burst: p.authors.limits.burst,
        outside: outside[i].times,
      })),
    cpuMs: async () => cpuMs(),
    pids: () => [{ label: 'bench (relay + agents)', pid: process.pid }],
    stop: () => mesh.stop(),
  }
}

/** A forked peer and its pending requests. */
class Child {
  private next = 0
  private readonly pending = new Map<number, (m: Record<string, unknown>) => void>()
  readonly exited: Promise<void>
  constructor(
    readonly proc: ChildProcess,
    onStored: (ids: string[], t: number) => void,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()))
    proc.on('message', (m: Record<string, unknown>) => {
      if (Array.isArray(m.stored)) onStored(m.stored as string[], m.t as number)
      else if (typeof m.n === 'number') this.pending.get(m.n)?.(m)
    })
  }
  /** Sends a request; resolves with the answer's `key` field (the whole answer without one). */
  ask<T>(req: PeerAsk, key?: string, timeoutMs = 60_000): Promise<T> {
    const n = this.next++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => (this.pending.delete(n), reject(new Error(`peer did not answer ${req.op} within ${timeoutMs} ms`))), timeoutMs)
      this.pending.set(n, (m) => {
        clearTimeout(timer)
        this.pending.delete(n)
        if (typeof m.error === 'string') reject(new Error(m.error))
        else resolve((key === undefined ? m : m[key]) as T)
      })
      this.proc.send({ ...req, n })
    })
  }
}

const PEER = fileURLToPath(new URL('./flood-peer.ts', import.meta.url))

/** Forks one peer and waits for its `ready` (or its failure). */
function forkPeer(args: string[], onStored: (ids: string[], t: number) => void): Promise<{ child: Child; httpUrl?: string }> {
  const proc = fork(PEER, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let err = ''
  proc.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)))
  const child = new Child(proc, onStored)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (proc.kill('SIGKILL'), reject(new Error('a peer did not start within 180 s'))), 180_000)
    const onMessage = (m: Record<string, unknown>) => {
      if (m.ready) resolve({ child, httpUrl: m.httpUrl as string | undefined })
      else if (typeof m.failed === 'string') reject(new Error(`a peer failed to start: ${m.failed}`))
      else return
      clearTimeout(timer)
      proc.off('message', onMessage)
    }
    proc.on('message', onMessage)
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`a peer exited (${code}) before it was ready: ${err.trim().slice(-400)}`))))
  })
}

async function startProcesses(n: number, syncIntervalMs: number): Promise<FloodMesh> {
  // FLOOD_DIR (e.g. /dev/shm) puts the peers' stores off a disk other work shares, to tell its fsyncs from the flood's cost.
  const dir = await mkdtemp(join(process.env.FLOOD_DIR || tmpdir(), 'chorus-bench-flood-'))
  const arrivals = new Arrivals(n + 1)
  const children: Child[] = []
  const stop = async () => {
    // Agents first, then the relay, as a deployment would; a peer that does not stop in 20 s is killed.
    for (const c of [...children.slice(1), ...children.slice(0, 1)]) {
      if (c.proc.exitCode === null && c.proc.connected) c.proc.send({ op: 'stop', n: -1 })
      const killer = setTimeout(() => c.proc.kill('SIGKILL'), 20_000)
      await c.exited
      clearTimeout(killer)
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const relay = await forkPeer(['relay', dir, String(syncIntervalMs)], (ids, t) => arrivals.note(0, ids, t))
    children.push(relay.child)
    const relayUrl = relay.httpUrl as string
    const invite = await relay.child.ask<string>({ op: 'invite', maxUses: n + 5 }, 'invite')
    for (let i = 0; i < n; i++) {
      const a = await forkPeer(['agent', dir, String(syncIntervalMs), `a${i}`, relayUrl, invite], (ids, t) => arrivals.note(i + 1, ids, t))
      children.push(a.child)
    }
    const stats = () => Promise.all(children.map((c) => c.ask<PeerStats>({ op: 'stats' }, 'stats')))
    const deadline = Date.now() + 60_000 + 2000 * n
    let all = await stats()
    while (!all.every((s) => s.members >= n + 1)) {
      if (Date.now() > deadline) throw new Error('timed out waiting for every join everywhere')
      await new Promise((r) => setTimeout(r, 100))
      all = await stats()
    }
    const ids = all.map((s) => s.self)
    await Promise.all(children.map((c) => c.ask({ op: 'watch', authors: ids })))
    return {
      shape: 'processes',
      relayUrl,
      dir,
      agents: n,
      author: (agent, taskId) => children[agent + 1].ask<Authored>({ op: 'author', taskId, mesh: ids }, undefined, 60_000),
      stored: (ps, id, timeoutMs) => arrivals.wait(ps, id, timeoutMs),
      storedAt: (peer, id) => arrivals.when(peer, id),
      invite: (maxUses) => children[0].ask<string>({ op: 'invite', maxUses }, 'invite'),
      stats,
      cpuMs: async () => (await stats()).reduce((s, x) => s + x.cpuMs, 0),
      pids: () => children.map((c, i) => ({ label: i === 0 ? 'relay' : `a${i - 1}`, pid: c.proc.pid as number })),
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
