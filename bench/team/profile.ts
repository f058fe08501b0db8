/**
 * Reads a V8 CPU profile (`.cpuprofile`, from `node --cpu-prof` or the inspector) and finds
 * where the event loop was held: the longest stretches of consecutive non-idle samples, and
 * within them the functions with the most inclusive and self time.
 *   node --import tsx bench/team/profile.ts relay.cpuprofile [--top 15] [--stretches 5] [--all] [--files] [--maps .next]
 * `--all` reads the whole profile as one stretch; `--files` adds the time per source file;
 * `--maps <.next dir>` names a tab's frames by the app's sources, through the source maps of a
 * build made with `productionBrowserSourceMaps` (a local setting: the committed build has none).
 */
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }
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

/** A frame's place in the sources it was built from, when a source map knows it. */
type Mapper = (f: ProfileNode['callFrame']) => { file: string; line: number; name?: string } | undefined

/** Maps frames of `/_next/static/…` scripts through the source maps their scripts name, in `dir` (a `.next` directory). */
export function nextMapper(dir: string): Mapper {
  const maps = new Map<string, SourceMap | null>()
  return (f) => {
    const rel = /\/_next\/(static\/.*?\.js)(\?|$)/.exec(f.url)?.[1]
    if (rel == null) return undefined
    let m = maps.get(rel)
    if (m === undefined) {
      // The script names its map (Turbopack's are not `<script>.map`).
      const script = join(dir, rel)
      const name = existsSync(script) ? /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(script, 'utf8'))?.[1] : undefined
      const path = name == null ? '' : join(dirname(script), name)
      m = name != null && existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null
      maps.set(rel, m)
    }
    const e = m?.findEntry(f.lineNumber, f.columnNumber ?? 0) as { originalSource?: string; originalLine?: number; name?: string } | undefined
    if (e?.originalSource == null) return undefined
    return { file: e.originalSource.replace(/^.*?(node_modules\/|\/\[project\]\/|turbopack:\/\/\/)/, (x) => (x.includes('node_modules') ? 'nm/' : '')), line: (e.originalLine ?? 0) + 1, name: e.name }
  }
}

let mapper: Mapper | undefined
const fileOf = (n: ProfileNode): string => {
  const f = n.callFrame
  const mapped = mapper?.(f)
  if (mapped) return mapped.file.slice(-70)
  return f.url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'nm/' : '')).slice(-60)
}
const label = (n: ProfileNode): string => {
  const f = n.callFrame
  const mapped = mapper?.(f)
  if (mapped) return `${f.functionName || mapped.name || '(anonymous)'} ${mapped.file.slice(-70)}:${mapped.line}`
  return `${f.functionName || '(anonymous)'} ${fileOf(n)}:${f.lineNumber + 1}`
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
export function hotspots(p: Profile, from: number, to: number, focus?: string): { inclusive: Array<[string, number]>; self: Array<[string, number]>; files: Array<[string, number]>; filesSelf: Array<[string, number]> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const inc = new Map<string, number>()
  const self = new Map<string, number>()
  const files = new Map<string, number>()
  const filesSelf = new Map<string, number>()
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
    filesSelf.set(fileOf(leaf), (filesSelf.get(fileOf(leaf)) ?? 0) + dt)
    const seen = new Set<string>()
    const seenFiles = new Set<string>()
    while (id != null) {
      const n = byId.get(id)!
      const l = label(n)
      if (!seen.has(l)) inc.set(l, (inc.get(l) ?? 0) + dt), seen.add(l)
      const file = fileOf(n)
      if (!seenFiles.has(file)) files.set(file, (files.get(file) ?? 0) + dt), seenFiles.add(file)
      id = parent.get(id)
    }
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)] as [string, number])
  return { inclusive: top(inc), self: top(self), files: top(files), filesSelf: top(filesSelf) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' }, stretches: { type: 'string', default: '5' }, all: { type: 'boolean', default: false }, focus: { type: 'string' }, files: { type: 'boolean', default: false }, maps: { type: 'string' } } })
  if (values.maps != null) mapper = nextMapper(values.maps)
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
    if (!values.files) continue
    console.log('  -- per file, inclusive')
    for (const [k, v] of h.files.slice(0, top)) console.log(`  ${String(v).padStart(6)} ms  ${k}`)
    console.log('  -- per file, self')
    for (const [k, v] of h.filesSelf.slice(0, top)) console.log(`  ${String(v).padStart(6)} ms  ${k}`)
  }
}
