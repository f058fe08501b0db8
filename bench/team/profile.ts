/**
 * Reads a V8 CPU profile (`.cpuprofile`, from `node --cpu-prof` or the inspector) and finds
 * where the event loop was held: the longest stretches of consecutive non-idle samples, and
 * within them the functions with the most inclusive and self time.
 *   node --import tsx bench/team/profile.ts relay.cpuprofile [--top 15] [--stretches 5]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** A run of busy samples: start (ms since the profile's start), length (ms), sample indexes. */
export interface Stretch {
  startMs: number
  ms: number
  from: number
  to: number
}

const label = (n: ProfileNode): string => {
  const f = n.callFrame
  const file = f.url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'nm/' : '')).slice(-60)
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
}

/** Busy stretches (no idle sample inside) of at least `minMs`, longest first. */
export function stretches(p: Profile, minMs = 50): Stretch[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const out: Stretch[] = []
  let t = 0
  let start = -1
  let startMs = 0
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] / 1000
    const idle = byId.get(p.samples[i])?.callFrame.functionName === '(idle)'
    if (!idle && start < 0) (start = i), (startMs = t)
    if ((idle || i === p.samples.length - 1) && start >= 0) {
      if (t - startMs >= minMs) out.push({ startMs: Math.round(startMs), ms: Math.round(t - startMs), from: start, to: i })
      start = -1
    }
  }
  return out.sort((a, b) => b.ms - a.ms)
}

/** Inclusive and self time (ms) per function over samples [from, to); with `focus`, only inside frames whose label contains it. */
export function hotspots(p: Profile, from: number, to: number, focus?: string): { inclusive: Array<[string, number]>; self: Array<[string, number]> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const inc = new Map<string, number>()
  const self = new Map<string, number>()
  for (let i = from; i < to; i++) {
    const dt = (p.timeDeltas[i + 1] ?? p.timeDeltas[i]) / 1000
    let id: number | undefined = p.samples[i]
    if (focus) {
      let up: number | undefined = id
      while (up != null && !label(byId.get(up)!).includes(focus)) up = parent.get(up)
      if (up == null) continue
    }
    const leaf = byId.get(id)!
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt)
    const seen = new Set<string>()
    while (id != null) {
      const l = label(byId.get(id)!)
      if (!seen.has(l)) inc.set(l, (inc.get(l) ?? 0) + dt), seen.add(l)
      id = parent.get(id)
    }
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)] as [string, number])
  return { inclusive: top(inc), self: top(self) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' }, stretches: { type: 'string', default: '5' }, all: { type: 'boolean', default: false }, focus: { type: 'string' } } })
  const p = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile
  const top = Number(values.top)
  const s = stretches(p)
  console.log(`busy stretches ≥ 50 ms: ${s.length}; longest ${s.slice(0, 10).map((x) => `${x.ms} ms @${x.startMs}`).join(', ')}`)
  const pick = values.all ? [{ startMs: 0, ms: 0, from: 0, to: p.samples.length }] : s.slice(0, Number(values.stretches))
  for (const x of pick) {
    const h = hotspots(p, x.from, x.to, values.focus)
    console.log(`\n== stretch ${x.ms} ms at ${x.startMs} ms: inclusive`)
    for (const [k, v] of h.inclusive.slice(0, top)) console.log(`  ${String(v).padStart(6)} ms  ${k}`)
    console.log('  -- self')
    for (const [k, v] of h.self.slice(0, top)) console.log(`  ${String(v).padStart(6)} ms  ${k}`)
  }
}
