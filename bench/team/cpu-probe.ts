/**
 * How much CPU a fixed piece of work costs on this machine right now: every `--every` ms it runs
 * two fixed units and prints, one JSON line each, the CPU time (user + system, this process) and
 * the wall time they took —
 *   replica: `Replica.add` of the same 300 events of the benchmark room (decode, Ed25519 verify,
 *            fold) into a fresh replica, the work an agent does per received event;
 *   js:      the UI bench's reference task (40k records built, sorted, serialised).
 * Run beside the realistic room (alone, then beside the demo) and compare the units' CPU between
 * the runs' windows: a fixed unit whose CPU time grows under contention (caches, TLB and branch
 * predictors shared with the other processes, the frequency the cores run at) says how much of
 * an agent's higher CPU per event beside the demo is the machine's and not more work.
 *   node --import tsx bench/team/cpu-probe.ts [--every 1000] [--for 600] > probe.ndjson
 *   node --import tsx bench/team/cpu-probe.ts --read probe.ndjson --window 06:41:33-06:42:07 --window …
 * It stops by itself after `--for` seconds. `--read` prints each window's medians and their ratio
 * to the first window's.
 */
import '../../lib/node/polyfills'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { RoomId } from '../../lib/core/ids'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier, nativeSha256 } from '../../lib/net/keys'
import { cpuMs, loadRoom, round } from '../room'

export interface ProbeSample {
  /** ISO time the unit started. */
  at: string
  unit: 'replica' | 'js'
  cpuMs: number
  wallMs: number
}

/** The UI bench's reference task: allocation, string compares and a serialisation. */
export function referenceTask(): number {
  let x = 7
  const rows: Array<{ id: string; v: number }> = []
  for (let i = 0; i < 40_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    rows.push({ id: `row-${x.toString(36)}`, v: x & 1023 })
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return JSON.stringify(rows).length
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** "HH:MM:SS-HH:MM:SS" → the samples whose start falls inside (UTC clock times of one day). */
export function inWindow(samples: readonly ProbeSample[], window: string): ProbeSample[] {
  const m = /^(\d\d:\d\d:\d\d)-(\d\d:\d\d:\d\d)$/.exec(window)
  if (m == null) throw new Error(`--window ${window}: expected HH:MM:SS-HH:MM:SS (UTC)`)
  const [, from, to] = m
  return samples.filter((s) => {
    const t = s.at.slice(11, 19)
    return t >= from && t <= to
  })
}

/** Per window and unit: samples, median CPU and wall ms, and the CPU median's ratio to the first window's. */
export function summarise(samples: readonly ProbeSample[], windows: readonly string[]): string[] {
  const out: string[] = []
  const first = new Map<string, number>()
  for (const w of windows) {
    const inside = inWindow(samples, w)
    for (const unit of ['replica', 'js'] as const) {
      const xs = inside.filter((s) => s.unit === unit)
      const cpu = median(xs.map((s) => s.cpuMs))
      if (!first.has(unit)) first.set(unit, cpu)
      out.push(`${w} ${unit}: ${xs.length} samples, CPU median ${round(cpu, 1)} ms (× ${round(cpu / (first.get(unit) as number), 2)} the first window's), wall median ${round(median(xs.map((s) => s.wallMs)), 1)} ms`)
    }
  }
  return out
}

async function probe(everyMs: number, forS: number): Promise<void> {
  const r = await loadRoom(1000)
  const events = r.events.slice(0, 300)
  const verifier = libp2pVerifier()
  const sha256 = nativeSha256()
  const unit = async (name: ProbeSample['unit'], work: () => Promise<unknown> | unknown) => {
    const at = new Date().toISOString()
    const c = cpuMs()
    const w = performance.now()
    await work()
    const sample: ProbeSample = { at, unit: name, cpuMs: round(cpuMs() - c, 2), wallMs: round(performance.now() - w, 2) }
    process.stdout.write(`${JSON.stringify(sample)}\n`)
  }
  const end = Date.now() + forS * 1000
  while (Date.now() < end) {
    await unit('replica', async () => {
      const replica = new Replica({ room: r.room as RoomId, verifier, sha256 })
      for (const bytes of events) await replica.add(bytes)
    })
    await unit('js', referenceTask)
    await new Promise((res) => setTimeout(res, everyMs))
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { every: { type: 'string', default: '1000' }, for: { type: 'string', default: '600' }, read: { type: 'string' }, window: { type: 'string', multiple: true } } })
  if (values.read != null) {
    const samples = readFileSync(values.read, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ProbeSample)
    for (const line of summarise(samples, values.window ?? [])) console.log(line)
  } else {
    const every = Number(values.every)
    const forS = Number(values.for)
    if (!(every >= 100) || !(forS > 0 && forS <= 3600)) throw new Error('--every: at least 100 ms; --for: 1…3600 s')
    await probe(every, forS)
  }
}
