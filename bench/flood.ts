/**
 * Flood: honest delivery latency on a real loopback mesh (relay + 3 honest agents) without and
 * then with a Byzantine member flooding 1,000 valid events/s for 10 s, both phases in the same
 * run. Each peer runs in its own process, as deployed (FLOOD_PEERS=one-process puts the relay
 * and the agents on this process's one thread); the attacker is a separate process
 * (`chorus-mesh attack --attack flood`), so its signing steals no peer's event loop.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { floodShape, startFloodMesh, type FloodMesh } from './flood-mesh'
import { SchedSampler } from './flood-sched'
import { pct, wallNow } from './mesh'
import { round } from './room'
import type { BenchOptions, BenchResult } from './types'

/** Where an honest event's time went: authoring (sign + store), reaching the relay, the slowest agent. */
interface Parts {
  cites: string[]
  /** Per event: agents that stored one of its deps only after the relay had stored the event (it waited there, pending). */
  pending: number[]
  authored: number[]
  relay: number[]
  agents: number[]
  /** Per event: wall time authoring began, and when the last peer stored it. */
  start: number[]
  end: number[]
  /** Per event, per other agent: when it stored the event / the last of the event's deps (ms after authoring ended). */
  at: string[]
}

/** Honest events, one every `gapMs`, while `running()`; returns author → stored-by-all latencies (NaN = missed). */
async function honestLatencies(mesh: FloodMesh, running: () => boolean, tag: string, parts: Parts, gapMs = 100, max = 400): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; running() && i < max; i++) {
    const a = i % mesh.agents
    const { id, t0, authoredMs, cites, deps } = await mesh.author(a, `${tag}-${i}`)
    // The relay first, then the other agents; each time counts from the end of authoring.
    const others = [0, ...Array.from({ length: mesh.agents }, (_, j) => j + 1).filter((p) => p !== a + 1)]
    const stored = await mesh.stored(others, id, 10_000)
    const times = stored.map((t) => Math.max(0, t - t0 - authoredMs))
    parts.pending.push(others.slice(1).filter((p) => deps.some((d) => (mesh.storedAt(p, d) ?? Number.POSITIVE_INFINITY) > stored[0])).length)
    out.push(times.some(Number.isNaN) ? Number.NaN : authoredMs + Math.max(...times))
    parts.authored.push(authoredMs)
    parts.cites.push(cites)
    parts.relay.push(times[0])
    parts.agents.push(Math.max(...times.slice(1)))
    parts.start.push(t0)
    parts.end.push(t0 + (Number.isNaN(out[out.length - 1]) ? 10_000 : out[out.length - 1]))
    const since = (t: number | undefined) => round((t ?? Number.NaN) - t0 - authoredMs, 0)
    parts.at.push(
      others
        .slice(1)
        .map((p, j) => {
          // The dep this agent stored last, and when the relay had stored it.
          if (deps.length === 0) return `a${p - 1} ${round(times[j + 1], 0)}`
          const last = deps.reduce((a, d) => ((mesh.storedAt(p, d) ?? Number.POSITIVE_INFINITY) > (mesh.storedAt(p, a) ?? Number.POSITIVE_INFINITY) ? d : a), deps[0])
          return `a${p - 1} ${round(times[j + 1], 0)}/${since(mesh.storedAt(p, last))} (relay ${since(mesh.storedAt(0, last))})`
        })
        .join(' '),
    )
    await new Promise((r) => setTimeout(r, gapMs))
  }
  return out
}

function attacker(mesh: FloodMesh, invite: string, rate: number, durationMs: number): { done: Promise<string>; pid: number } {
  const bin = fileURLToPath(new URL('../bin/chorus-mesh.js', import.meta.url))
  const args = [bin, 'attack', '--relay', mesh.relayUrl, '--invite', invite, '--data', join(mesh.dir, 'mallory'), '--name', 'mallory', '--attack', 'flood', '--rate', String(rate), '--duration', String(durationMs)]
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  p.stdout.on('data', (d: Buffer) => (out += d.toString()))
  p.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const timer = setTimeout(() => p.kill('SIGKILL'), durationMs + 90_000)
  return { pid: p.pid as number, done: new Promise((resolve) => p.on('close', () => (clearTimeout(timer), resolve(out.trim().slice(-300))))) }
}

/** Polls `fn` every 50 ms until it holds; throws after `timeoutMs`. */
async function untilAsync(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Runs the flood benchmark. */
export async function benchFlood({ quick }: BenchOptions): Promise<BenchResult[]> {
  const durationMs = quick ? 500 : 10_000
  const rate = 1000
  const shape = floodShape()
  const mesh = await startFloodMesh(shape, 3, 2000)
  try {
    let t0 = Date.now()
    const parts = (): Parts => ({ cites: [], pending: [], authored: [], relay: [], agents: [], start: [], end: [], at: [] })
    const calmParts = parts()
    const floodParts = parts()
    // The calm phase is sampled as the flood is: the sampler's own reads weigh on both alike.
    const bench = shape === 'processes' ? [{ label: 'bench', pid: process.pid }] : []
    const calmSched = new SchedSampler([...mesh.pids(), ...bench])
    calmSched.start()
    const cw0 = wallNow()
    const calm = await honestLatencies(mesh, () => Date.now() - t0 < durationMs, 'calm', calmParts)
    calmSched.stop()
    const calmRunWait = calmSched.window(cw0, wallNow())
    const invite = await mesh.invite(1)
    const s0 = await mesh.stats()
    const atk = attacker(mesh, invite, rate, durationMs)
    await untilAsync('the attacker to join', async () => (await mesh.stats())[0].members > s0[0].members, 60_000)
    const sched = new SchedSampler([...mesh.pids(), { label: 'attacker', pid: atk.pid }, ...bench])
    sched.start()
    t0 = Date.now()
    const w0 = wallNow()
    const r0 = (await mesh.stats())[0].received
    const c0 = await mesh.cpuMs()
    const stormy = await honestLatencies(mesh, () => Date.now() - t0 < durationMs + 1000, 'flood', floodParts)
    sched.stop()
    const w1 = wallNow()
    const s1 = await mesh.stats()
    const busy = round((await mesh.cpuMs()) - c0) / (Date.now() - t0)
    const offered = round((s1[0].received - r0) / ((Date.now() - t0) / 1000), 0)
    const tail = await atk.done
    const s2 = await mesh.stats()
    const accepted = s2[0].logSize - s0[0].logSize
    const pulls = s1.reduce((s, q) => s + q.pulls, 0)
    const burst = s1
      .map((q, i) => {
        const ts = q.outside.filter((t) => t >= w0)
        const who = i === 0 ? 'relay' : `a${i - 1}`
        return ts.length === 0 ? `${who} none` : `${who} ${ts.length} in ${round(Math.min(...ts) - w0, 0)}–${round(Math.max(...ts) - w0, 0)} ms`
      })
      .join(', ')
    const where = shape === 'processes' ? 'the 4 peer processes (relay + 3 agents, each ingesting every flood event) used' : 'this process (relay + 3 agents, each ingesting every flood event) used'
    const p = (xs: number[], q: number) => round(pct(xs, q), 1)
    const lost = stormy.filter(Number.isNaN).length
    const split = (x: Parts) => `authoring ${p(x.authored, 0.5)} ms, then the relay ${p(x.relay, 0.5)} ms, the slowest agent ${p(x.agents, 0.5)} ms`
    // The tail is a handful of events: say where each of the slowest spent its time.
    const slowest = stormy
      .map((total, i) => ({ total, i }))
      .filter((e) => !Number.isNaN(e.total))
      .sort((a, b) => b.total - a.total)
      .slice(0, 3)
      .map(({ total, i }) => `${round(total, 0)} ms = ${round(floodParts.authored[i], 0)} + relay ${round(floodParts.relay[i], 0)} / slowest agent ${round(floodParts.agents[i], 0)} (cites the flooder's ${floodParts.cites[i]}${floodParts.pending[i] > 0 ? ', pending at an agent' : ''}; authored ${round(floodParts.start[i] - w0, 0)} ms into the phase; stored by the other agents / the last of its deps there (the relay had that dep at) ms after authoring: ${floodParts.at[i]}; ${sched.window(floodParts.start[i], floodParts.end[i])})`)
    const note = `medians calm: ${split(calmParts)}; flood: ${split(floodParts)}; the 3 slowest in the flood (authoring + arrival at the relay / at the slowest agent): ${slowest.join(', ')}; relay + 3 honest agents (${shape === 'processes' ? 'one process each, as deployed' : 'all on one thread of one process'}; calm measured the same way), one honest event per 100 ms → stored by the relay and the 2 other agents; calm ${calm.length} events, flood ${stormy.length} events (${lost} not everywhere within 10 s; ${floodParts.pending.filter((n) => n > 0).length} held pending at an agent that got one of their references only after the relay had them); attacker process offered ${rate}/s × ${durationMs / 1000} s, the relay's validator saw ${offered} messages/s during the phase (what the attacker achieved on this machine); the flooder's events each peer stored (at least; first–last, ms into the phase): ${burst}; the relay stored ${accepted} of its events (default budgets: per author ${s0[0].perSec}/s, burst ${s0[0].burst}); gossip messages dropped on the forwarder/author budget (relay, agents): ${s1.map((q) => q.limited).join(', ')}; sync events deferred on the author budget (relay, agents): ${s1.map((q) => q.deferred).join(', ')}; sync rounds pulled for events missing references: ${pulls}; relay log stats: ${JSON.stringify(s2[0].logStats)}; ${where} ${round(busy, 2)} CPU s per s during the flood phase; main threads' ${sched.window(w0, w0 + 1000)}, then ${sched.window(w0 + 1000, w1)} (calm: ${calmRunWait}); attacker said: ${tail.replace(/\s+/g, ' ')}`
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
