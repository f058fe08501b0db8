/**
 * Memory: retained heap per 50k events in Node vs the raw event bytes. Each
 * variant runs in a child `node --expose-gc` (bench/memory-child.ts), so `global.gc()` gives
 * stable figures: the child forces GC several times before and after ingesting, with the
 * input dropped, and reports the median delta of heapUsed + arrayBuffers.
 *
 * `benchMemoryGrowth` (suite `memory-growth`, run only when named: `--only=memory-growth`) is
 * the Replica at growing rooms, `--memory-sizes=50000,100000,200000,500000` by default: how the
 * figure grows. Generating a room costs ~0.5–1 ms CPU per event (cached per size in the OS
 * temp dir), so the 500k room is ~5–8 min once.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadRoom, round } from './room'
import type { BenchOptions, BenchResult } from './types'

/** What the child prints (one JSON line). */
export interface MemorySample {
  variant: string
  /** Events in the room, and (`events`) how many the measured replica holds. */
  roomEvents: number
  events: number
  rawBytes: number
  heapDelta: number
  arrayBuffersDelta: number
  rssDelta: number
}

function child(variant: string, total: number): Promise<MemorySample> {
  const script = fileURLToPath(new URL('./memory-child.ts', import.meta.url))
  // A 500k room and its replica need ~1.5 GB of heap, past V8's default limit on small machines.
  const heap = total > 100_000 ? [`--max-old-space-size=${Math.ceil(total / 100)}`] : []
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', ...heap, '--import', 'tsx', script, variant, String(total)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d: Buffer) => (out += d.toString()))
    // Generating a room it does not find cached takes ~1 ms per event on a loaded machine.
    const timer = setTimeout(() => p.kill('SIGKILL'), Math.max(600_000, total * 3))
    p.on('close', (code) => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error(`memory child ${variant} exited ${code}`))
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemorySample)
    })
  })
}

const MiB = (b: number): number => round(b / 2 ** 20, 1)
const sizeName = (n: number): string => (n % 1000 === 0 ? `${n / 1000}k` : String(n))

function row(name: string, label: string, s: MemorySample, extra = ''): BenchResult {
  const used = s.heapDelta + s.arrayBuffersDelta
  const ratio = round(used / s.rawBytes, 2)
  return {
    name: `${name}@${sizeName(s.roomEvents)}`,
    value: MiB(used),
    unit: 'MiB',
    baseline: { name: 'raw event bytes', value: MiB(s.rawBytes), unit: 'MiB' },
    ratio,
    goal: '≤ 2× raw bytes (ratio = heap / bytes, lower is better)',
    met: ratio <= 2,
    note: `${label}; ${s.events} events${s.events === s.roomEvents ? '' : ` held of the room's ${s.roomEvents} (NOT all: the bytes baseline counts them all)`}; heapUsed Δ ${MiB(s.heapDelta)} MiB + arrayBuffers Δ ${MiB(s.arrayBuffersDelta)} MiB (rss Δ ${MiB(s.rssDelta)} MiB); ${round(used / s.events, 0)} B/event${extra}`,
  }
}

/** Runs the memory benchmarks. */
export async function benchMemory({ quick }: BenchOptions): Promise<BenchResult[]> {
  const total = quick ? 1000 : 50_000
  await loadRoom(total) // make sure the cached room exists before the children read it
  const out: BenchResult[] = []
  const labels: Record<string, string> = {
    log: 'breakdown: core EventLog alone (no folded state)',
    fold: 'breakdown: the folded state alone, checkpoints included (Fold over a log held before measuring)',
    replica: 'core Replica alone (log + folded state, bytes kept in memory)',
    sqlite: 'ReplicaHost + SQLite store (relay/agent): heap only, the store is on disk',
    memory: 'ReplicaHost + memory store',
  }
  for (const variant of quick ? ['replica'] : ['replica', 'log', 'fold', 'sqlite']) out.push(row(`memory.node.${variant}`, labels[variant], await child(variant, total)))
  return out
}

/** The sizes of `--memory-sizes=a,b,…` (events), or the default growth curve. */
export function memorySizes(argv: readonly string[], quick: boolean): number[] {
  const arg = argv.find((a) => a.startsWith('--memory-sizes='))?.slice('--memory-sizes='.length)
  if (arg === undefined) return quick ? [1000, 2000] : [50_000, 100_000, 200_000, 500_000]
  const sizes = arg.split(',').map((x) => Number(x.trim().replace(/k$/i, '000')))
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`--memory-sizes takes event counts ≥ 100 (e.g. 100000,200k), got ${arg}`)
  return sizes
}

/**
 * The Replica alone at growing sizes: each note gives the bytes per event and their change
 * since the previous size, so a reader sees whether the figure is linear in the events. The
 * child generates a room it does not find cached (so this process never holds 500k events).
 */
export async function benchMemoryGrowth({ quick }: BenchOptions): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  let prev: { events: number; perEvent: number } | undefined
  for (const total of memorySizes(process.argv, quick)) {
    const start = performance.now()
    const s = await child('replica', total)
    const took = round((performance.now() - start) / 1000, 0)
    const perEvent = (s.heapDelta + s.arrayBuffersDelta) / s.events
    const growth = prev ? `; ${round(perEvent, 0)} vs ${round(prev.perEvent, 0)} B/event at ${sizeName(prev.events)} (${round((perEvent / prev.perEvent - 1) * 100, 1)} %)` : ''
    out.push(row('memory.growth.replica', 'core Replica alone (log + folded state), as memory.node.replica', s, `${growth}; the child took ${took} s wall (room generation included when it was not cached); measured ${new Date().toISOString().slice(0, 16)}Z`))
    prev = { events: s.events, perEvent }
  }
  return out
}
