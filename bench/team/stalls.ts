/**
 * Cuts a relay's CPU profile to the event-loop stalls in which it used the most CPU, and says
 * what ran in each: the stalls come from a `beside.ts --out` file (its rows' `cpuStalls`, timed
 * on the monotonic clock the profile uses), the functions from `profile.ts`'s hotspots over the
 * samples inside each stall.
 *   node --import tsx bench/team/stalls.ts relay.cpuprofile beside.json [--min 100] [--top 25] [--by main|process]
 * `--by main` (default) ranks stalls by the main thread's own CPU, the synchronous stretch the
 * goal bounds; `process` by the whole process's (the SQLite writer and GC helpers included).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { BesideRow } from './beside'
import type { Stall } from './loop-monitor'
import { hotspots } from './profile'

interface Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** The sample indexes [from, to) whose timestamps fall in [startMs, endMs] of the monotonic clock. */
export function samplesWithin(p: Pick<Profile, 'startTime' | 'timeDeltas'>, startMs: number, endMs: number): [number, number] {
  let t = p.startTime / 1000
  let from = -1
  let to = p.timeDeltas.length
  for (let i = 0; i < p.timeDeltas.length; i++) {
    t += p.timeDeltas[i] / 1000
    if (from < 0 && t >= startMs) from = i
    if (t > endMs) {
      to = i
      break
    }
  }
  return from < 0 ? [0, 0] : [from, to]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { min: { type: 'string', default: '100' }, top: { type: 'string', default: '25' }, by: { type: 'string', default: 'main' } } })
  const p = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile
  const rows = JSON.parse(readFileSync(positionals[1], 'utf8')) as BesideRow[]
  const stalls: Stall[] = rows.filter((r) => r.run === 'beside').flatMap((r) => r.cpuStalls ?? [])
  const cpuOf = (s: Stall) => (values.by === 'process' ? s[2] : s[3])
  const picked = stalls.filter((s) => cpuOf(s) > Number(values.min)).sort((a, b) => cpuOf(b) - cpuOf(a))
  const top = Number(values.top)
  console.log(`${picked.length} stalls over ${values.min} ms of ${values.by === 'process' ? "the process's" : "the main thread's"} CPU`)
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  for (const s of picked) {
    const [wall, ms, cpu, main, wait, gc, mono] = s
    const [from, to] = samplesWithin(p, mono, mono + ms + 10)
    const idle = p.samples.slice(from, to).filter((id) => byId.get(id)?.callFrame.functionName === '(idle)').length
    console.log(`\n== stall at ${new Date(wall).toISOString().slice(11, 23)}: ${ms} ms; CPU process ${cpu} / main ${main} ms, main waited ${wait} ms for a core, GC pauses ${gc} ms; ${to - from} samples (${idle} idle)`)
    const h = hotspots(p as Parameters<typeof hotspots>[0], from, to)
    console.log('  -- inclusive')
    for (const [k, v] of h.inclusive.slice(0, top)) console.log(`  ${String(v).padStart(6)} ms  ${k}`)
    console.log('  -- self')
    for (const [k, v] of h.self.slice(0, top)) console.log(`  ${String(v).padStart(6)} ms  ${k}`)
  }
}
