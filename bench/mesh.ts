/**
 * A real mesh on loopback for the scale and flood benchmarks: one relay and N mesh agents
 * (real libp2p, WebSockets, SQLite synchronous=NORMAL) in this process, plus the probes both
 * benchmarks use: arrival times of an event at every peer, loopback bytes, ping RTT.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventId } from '../lib/core/ids'
import type { RoomPeer } from '../lib/net/room-peer'
import { genesisArrived } from '../lib/net/membership'
import { startMeshAgent, type MeshAgent, type MeshAgentOptions } from '../lib/node/agent/mesh-agent'
import { startRelay, type Relay } from '../lib/node/relay'
import type { PeerLimits } from '../lib/net/rate-limit'

/** A relay and its agents; `stop()` ends them all. */
export interface BenchMesh {
  relay: Relay
  agents: MeshAgent[]
  dir: string
  peers(): RoomPeer[]
  stop(): Promise<void>
}

/** Polls `fn` every 20 ms until it holds; throws after `timeoutMs`. */
export async function until(what: string, fn: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Starts `n` agents named `a<offset + i>` against relays (comma-separated URLs), in small
 * parallel groups, each joined. A loaded relay answers slowly while many agents join at once
 * (the room's genesis, sent by the first sync round, took over the join's own 30 s at N = 75+):
 * each agent keeps asking for `/api/room` and waits for the genesis for up to `setupMs` before
 * joining.
 */
export async function startAgents(relayUrl: string, invite: string, dir: string, n: number, syncIntervalMs: number, offset = 0, into: MeshAgent[] = [], setupMs = 120_000, extra: Partial<MeshAgentOptions> = {}): Promise<MeshAgent[]> {
  const start = async (name: string): Promise<MeshAgent> => {
    const a = await startMeshAgent({ startPatience: { totalMs: setupMs }, ...extra, name, relayUrl, dataDir: dir, invite, syncIntervalMs, synchronous: 'NORMAL' })
    into.push(a)
    await genesisArrived(a.peer, setupMs)
    return a
  }
  // Start in small parallel groups: start-up is mostly waiting on handshakes.
  for (let i = 0; i < n; i += 5) {
    const group = await Promise.all(Array.from({ length: Math.min(5, n - i) }, (_, j) => start(`a${offset + i + j}`)))
    await Promise.all(group.map((a) => a.join()))
  }
  return into
}

/** Wall-clock ms (comparable across processes on one machine). */
export const wallNow = (): number => performance.timeOrigin + performance.now()

/**
 * Records when each event reached `peer`'s store (wall ms), from the host's change
 * notifications, so an arrival is timed even if nobody was waiting for it yet.
 */
export function storedTimes(peer: RoomPeer): Map<string, number> {
  const seen = new Map<string, number>()
  const note = () => {
    const t = wallNow()
    for (const e of peer.host.recent(100)) {
      if (seen.has(e.id)) break
      seen.set(e.id, t)
    }
  }
  peer.host.subscribe(note)
  return seen
}

/** Starts a relay and `n` joined agents on 127.0.0.1; everyone holds every join when it resolves. */
export async function startMesh(n: number, opts: { syncIntervalMs?: number; peerLimits?: PeerLimits; agentsHere?: boolean; portBase?: number } = {}): Promise<BenchMesh> {
  const dir = await mkdtemp(join(tmpdir(), 'chorus-bench-mesh-'))
  const syncIntervalMs = opts.syncIntervalMs ?? 5000
  const relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: opts.portBase ?? 0, httpPort: opts.portBase == null ? 0 : opts.portBase + 1, presenceIntervalMs: 5000, syncIntervalMs, peerLimits: opts.peerLimits })
  const agents: MeshAgent[] = []
  const mesh: BenchMesh = {
    relay,
    agents,
    dir,
    peers: () => [relay.peer, ...agents.map((a) => a.peer)],
    async stop() {
      for (const a of agents) await a.stop().catch(() => {})
      await relay.stop().catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    if (opts.agentsHere === false) return mesh
    const invite = await relay.invite({ role: 'agent', maxUses: n + 5 })
    await startAgents(relay.httpUrl, invite, dir, n, syncIntervalMs, 0, agents)
    await until('every join everywhere', () => mesh.peers().every((p) => p.host.replica.state.members.size >= n + 1), 60_000 + 2000 * n)
    return mesh
  } catch (err) {
    await mesh.stop()
    throw err
  }
}

/** Resolves with the ms from now until `id` is stored by every peer in `peers` (per peer). */
export function arrivals(peers: readonly RoomPeer[], id: EventId, timeoutMs: number): Promise<number[]> {
  const t0 = performance.now()
  return new Promise((resolve) => {
    const times: number[] = new Array(peers.length).fill(Number.NaN)
    let left = peers.length
    const offs: (() => void)[] = []
    const done = () => {
      clearTimeout(timer)
      for (const off of offs) off()
      resolve(times)
    }
    const timer = setTimeout(done, timeoutMs)
    peers.forEach((p, i) => {
      const check = () => {
        if (Number.isNaN(times[i]) && p.host.replica.log.has(id)) {
          times[i] = performance.now() - t0
          if (--left === 0) done()
        }
      }
      offs.push(p.host.subscribe(check))
      queueMicrotask(check)
    })
  })
}

/** Bytes received on the loopback interface so far (Linux /proc/net/dev), or NaN. */
export async function loopbackBytes(): Promise<number> {
  try {
    const line = (await readFile('/proc/net/dev', 'utf8')).split('\n').find((l) => l.trim().startsWith('lo:'))
    return Number(line?.split(':')[1].trim().split(/\s+/)[0])
  } catch {
    return Number.NaN
  }
}

/** Percentile `p` (0..1) of `xs` (NaN dropped). */
export function pct(xs: readonly number[], p: number): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(p * s.length))]
}

/** Duplicate offers summed over `peers` (gossip and sync). */
export const duplicates = (peers: readonly RoomPeer[]): number => peers.reduce((s, p) => s + p.host.replica.log.stats().duplicate, 0)
