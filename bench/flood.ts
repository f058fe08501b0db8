/**
 * Flood: honest delivery latency on a real loopback mesh (relay + 3 honest
 * agents in this process) without and then with a Byzantine member flooding 1,000 valid
 * events/s for 10 s. The attacker is a separate process (`chorus-mesh attack --attack flood`),
 * so its signing does not steal this process's event loop; both phases run in the same run.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { arrivals, pct, startMesh, until, type BenchMesh } from './mesh'
import { cpuMs, round } from './room'
import type { BenchOptions, BenchResult } from './types'

/** Where an honest event's time went: authoring (sign + store), reaching the relay, the slowest agent. */
interface Parts {
  authored: number[]
  relay: number[]
  agents: number[]
}

/** Honest events, one every `gapMs`, while `running()`; returns author → stored-by-all latencies (NaN = missed). */
async function honestLatencies(mesh: BenchMesh, running: () => boolean, tag: string, parts: Parts, gapMs = 100, max = 400): Promise<number[]> {
  const peers = mesh.peers()
  const out: number[] = []
  for (let i = 0; running() && i < max; i++) {
    const a = mesh.agents[i % mesh.agents.length]
    const t = performance.now()
    const enc = await a.peer.author('task.claimed', { taskId: `${tag}-${i}`, projectId: 'p', repository: 'github.com/acme/honest', title: `Honest work ${i}`, description: '' })
    const authored = performance.now() - t
    const times = await arrivals(peers.filter((p) => p !== a.peer), enc.id, 10_000)
    out.push(times.some(Number.isNaN) ? Number.NaN : authored + Math.max(...times))
    parts.authored.push(authored)
    parts.relay.push(times[0]) // peers() lists the relay first
    parts.agents.push(Math.max(...times.slice(1)))
    await new Promise((r) => setTimeout(r, gapMs))
  }
  return out
}

function attacker(mesh: BenchMesh, invite: string, rate: number, durationMs: number): { done: Promise<string> } {
  const bin = fileURLToPath(new URL('../bin/chorus-mesh.js', import.meta.url))
  const args = [bin, 'attack', '--relay', mesh.relay.httpUrl, '--invite', invite, '--data', join(mesh.dir, 'mallory'), '--name', 'mallory', '--attack', 'flood', '--rate', String(rate), '--duration', String(durationMs)]
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  p.stdout.on('data', (d: Buffer) => (out += d.toString()))
  p.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const timer = setTimeout(() => p.kill('SIGKILL'), durationMs + 90_000)
  return { done: new Promise((resolve) => p.on('close', () => (clearTimeout(timer), resolve(out.trim().slice(-300))))) }
}

/** Runs the flood benchmark. */
export async function benchFlood({ quick }: BenchOptions): Promise<BenchResult[]> {
  const durationMs = quick ? 500 : 10_000
  const rate = 1000
  const mesh = await startMesh(3, { syncIntervalMs: 2000 })
  try {
    const relayLog = mesh.relay.peer.host.replica.log
    let t0 = Date.now()
    const calmParts: Parts = { authored: [], relay: [], agents: [] }
    const floodParts: Parts = { authored: [], relay: [], agents: [] }
    const calm = await honestLatencies(mesh, () => Date.now() - t0 < durationMs, 'calm', calmParts)
    const invite = await mesh.relay.invite({ role: 'agent', maxUses: 1 })
    const members = mesh.relay.peer.host.replica.state.members.size
    const before = relayLog.size
    const atk = attacker(mesh, invite, rate, durationMs)
    await until('the attacker to join', () => mesh.relay.peer.host.replica.state.members.size > members, 60_000)
    t0 = Date.now()
    const received0 = mesh.relay.peer.gossip.received
    const c0 = cpuMs()
    const stormy = await honestLatencies(mesh, () => Date.now() - t0 < durationMs + 1000, 'flood', floodParts)
    const limited = mesh.peers().map((q) => `${q.gossip.forwarderLimited}/${q.gossip.authorLimited}`)
    const offered = round((mesh.relay.peer.gossip.received - received0) / ((Date.now() - t0) / 1000), 0)
    const deferred = mesh.peers().map((q) => q.syncBudget.deferred)
    const pulls = mesh.peers().reduce((s, q) => s + q.syncBudget.pulls, 0)
    const busy = round((cpuMs() - c0) / (Date.now() - t0), 2)
    const tail = await atk.done
    const accepted = relayLog.size - before
    const stats = relayLog.stats()
    const p = (xs: number[], q: number) => round(pct(xs, q), 1)
    const lost = stormy.filter(Number.isNaN).length
    const split = (x: Parts) => `authoring ${p(x.authored, 0.5)} ms, then the relay ${p(x.relay, 0.5)} ms, the slowest agent ${p(x.agents, 0.5)} ms`
    // The tail is a handful of events: say where each of the slowest spent its time.
    const slowest = stormy
      .map((total, i) => ({ total, i }))
      .filter((e) => !Number.isNaN(e.total))
      .sort((a, b) => b.total - a.total)
      .slice(0, 3)
      .map(({ total, i }) => `${round(total, 0)} ms = ${round(floodParts.authored[i], 0)} + relay ${round(floodParts.relay[i], 0)} / slowest agent ${round(floodParts.agents[i], 0)}`)
    const note = `medians calm: ${split(calmParts)}; flood: ${split(floodParts)}; the 3 slowest in the flood (authoring + arrival at the relay / at the slowest agent): ${slowest.join(', ')}; relay + 3 honest agents, one honest event per 100 ms → stored by the relay and the 2 other agents; calm ${calm.length} events, flood ${stormy.length} events (${lost} not everywhere within 10 s); attacker process offered ${rate}/s × ${durationMs / 1000} s, the relay's validator saw ${offered} messages/s during the phase (what the attacker achieved on this machine); the relay stored ${accepted} of its events (default budgets: per author ${mesh.relay.peer.authors.limits.perSec}/s, burst ${mesh.relay.peer.authors.limits.burst}); gossip messages dropped on the forwarder/author budget (relay, agents): ${limited.join(', ')}; sync events deferred on the author budget (relay, agents): ${deferred.join(', ')}; sync rounds pulled for events missing references: ${pulls}; relay log stats: ${JSON.stringify(stats)}; this process (relay + 3 agents, each ingesting every flood event) used ${busy} CPU s per s during the flood phase; attacker said: ${tail.replace(/\s+/g, ' ')}`
    const fig = (q: number, goal: string, limit: number): BenchResult => {
      const ratio = round(pct(stormy, q) / pct(calm, q), 2)
      return {
        name: `flood.honest-latency.p${Math.round(q * 100)}`,
        value: p(stormy, q),
        unit: 'ms',
        baseline: { name: 'same, no flood, same run', value: p(calm, q), unit: 'ms' },
        ratio,
        goal,
        met: lost === 0 && ratio <= limit,
        note,
      }
    }
    return [fig(0.5, '≤ 2× calm (none lost)', 2), fig(0.99, '≤ 4× calm (none lost)', 4)]
  } finally {
    await mesh.stop()
  }
}
