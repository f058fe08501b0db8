/**
 * Memory: retained heap per 50k events in Node vs the raw event bytes. Each
 * variant runs in a child `node --expose-gc` (bench/memory-child.ts), so `global.gc()` gives
 * stable figures: the child forces GC several times before and after ingesting, with the
 * input dropped, and reports the median delta of heapUsed + arrayBuffers.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadRoom, round } from './room'
import type { BenchOptions, BenchResult } from './types'

/** What the child prints (one JSON line). */
export interface MemorySample {
  variant: string
  events: number
  rawBytes: number
  heapDelta: number
  arrayBuffersDelta: number
  rssDelta: number
}

function child(variant: string, total: number): Promise<MemorySample> {
  const script = fileURLToPath(new URL('./memory-child.ts', import.meta.url))
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, variant, String(total)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const timer = setTimeout(() => p.kill('SIGKILL'), 600_000)
    p.on('close', (code) => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error(`memory child ${variant} exited ${code}`))
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemorySample)
    })
  })
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
  for (const variant of quick ? ['replica'] : ['replica', 'log', 'fold', 'sqlite']) {
    const s = await child(variant, total)
    const used = s.heapDelta + s.arrayBuffersDelta
    const ratio = round(used / s.rawBytes, 2)
    out.push({
      name: `memory.node.${variant}@${quick ? '1k' : '50k'}`,
      value: round(used / 2 ** 20, 1),
      unit: 'MiB',
      baseline: { name: 'raw event bytes', value: round(s.rawBytes / 2 ** 20, 1), unit: 'MiB' },
      ratio,
      goal: '≤ 2× raw bytes (ratio = heap / bytes, lower is better)',
      met: ratio <= 2,
      note: `${labels[variant]}; ${s.events} events; heapUsed Δ ${round(s.heapDelta / 2 ** 20, 1)} MiB + arrayBuffers Δ ${round(s.arrayBuffersDelta / 2 ** 20, 1)} MiB (rss Δ ${round(s.rssDelta / 2 ** 20, 1)} MiB); ${round(used / s.events, 0)} B/event`,
    })
  }
  return out
}
