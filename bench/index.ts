/**
 * Runs every benchmark, writes bench/results.json and prints a table.
 * Usage: node --import tsx bench/index.ts [--quick]
 */
// libp2p 3 needs Promise.withResolvers and a global WebSocket on Node 20: load before anything imports it.
import '../lib/node/polyfills'
import { writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { benchDetection } from './detection'
import { benchFlood } from './flood'
import { benchIngest } from './ingest'
import { benchMemory } from './memory'
import { benchScale } from './scale'
import { benchSync } from './sync'
import type { BenchOptions, BenchResult } from './types'

/** A named group of benchmarks; add new ones to SUITES. */
interface Suite {
  readonly name: string
  readonly run: (opts: BenchOptions) => Promise<BenchResult[]>
}

const SUITES: readonly Suite[] = [
  { name: 'ingest', run: benchIngest },
  { name: 'sync', run: benchSync },
  { name: 'memory', run: benchMemory },
  { name: 'scale', run: benchScale },
  { name: 'flood', run: benchFlood },
  { name: 'detection', run: benchDetection },
]
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')

const fmt = (v: number | undefined, unit = '') => (v === undefined ? '' : `${v.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`)

function table(results: readonly BenchResult[]): string {
  const rows = [
    ['benchmark', 'value', 'baseline', 'ratio', 'goal', 'met'],
    ...results.map((r) => [
      r.name,
      fmt(r.value, r.unit),
      r.baseline ? fmt(r.baseline.value, r.baseline.unit) : '',
      r.ratio === undefined ? '' : `${r.ratio}×`,
      r.goal ?? '',
      r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    ]),
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

const quick = process.argv.includes('--quick')
const results: BenchResult[] = []
for (const suite of SUITES) {
  if (only && !only.includes(suite.name)) continue
  const start = performance.now()
  results.push(...(await suite.run({ quick })))
  console.error(`${suite.name}: ${Math.round(performance.now() - start)} ms`)
}
const out = new URL('./results.json', import.meta.url)
const meta = { generatedAt: new Date().toISOString(), quick, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length }
await writeFile(out, `${JSON.stringify({ ...meta, results }, null, 2)}\n`)
console.log(table(results))
for (const r of results) if (r.note) console.log(`\n${r.name}: ${r.note}`)
// libp2p timers of stopped nodes can linger for a while: the results are written, so exit.
process.exit(0)
