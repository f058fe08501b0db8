/**
 * How large a per-author burst honest members need: reads a room's SQLite event store (e.g. a
 * realistic-room run kept with CHORUS_BENCH_KEEP=1) and prints, per author, its events, the most
 * it wrote within any 1 s and 5 s, and the smallest token bucket (at the budget's rate) that
 * would have let every one of its events through on arrival. Times are the authors' own stamps,
 * which is when each event reaches its first hop give or take the network.
 *   node --import tsx bench/flood-honest-peak.ts <events.sqlite> [--rate 100]
 */
import Database from 'better-sqlite3'
import { decodeEvent } from '../lib/core/events/codec'

/**
 * The smallest burst B such that a bucket of B tokens refilling at `perSec`, full at the first
 * event, admits events at `times` (ascending, ms) without refusing one: the most any run of
 * consecutive events exceeds what the rate refills over it, max over i ≤ j of
 * (j − i + 1) − perSec·(t_j − t_i)/1000.
 */
export function neededBurst(times: readonly number[], perSec: number): number {
  let best = 0
  // max over i ≤ j of (j + 1 − r·t_j) − (i − r·t_i): keep the smallest (i − r·t_i) seen so far.
  let low = Number.POSITIVE_INFINITY
  times.forEach((t, j) => {
    low = Math.min(low, j - (perSec * t) / 1000)
    best = Math.max(best, j + 1 - (perSec * t) / 1000 - low)
  })
  return best
}

/** The most events within any window of `ms` (times ascending). */
export function peakIn(times: readonly number[], ms: number): number {
  let best = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= ms) i++
    best = Math.max(best, j - i + 1)
  }
  return best
}

export interface AuthorPeak {
  author: string
  events: number
  kinds: Record<string, number>
  peak1s: number
  peak5s: number
  burst: number
}

/** Per author, from each event's bytes. */
export function authorPeaks(events: Iterable<Uint8Array>, perSec: number): AuthorPeak[] {
  const by = new Map<string, { times: number[]; kinds: Record<string, number> }>()
  for (const bytes of events) {
    const d = decodeEvent(bytes)
    if (!d.ok) continue
    const e = d.value.event
    let a = by.get(e.author)
    if (a == null) by.set(e.author, (a = { times: [], kinds: {} }))
    a.times.push(e.time)
    a.kinds[e.kind] = (a.kinds[e.kind] ?? 0) + 1
  }
  return [...by].map(([author, { times, kinds }]) => {
    times.sort((x, y) => x - y)
    return { author, events: times.length, kinds, peak1s: peakIn(times, 1000), peak5s: peakIn(times, 5000), burst: Math.ceil(neededBurst(times, perSec)) }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2]
  const r = process.argv.indexOf('--rate')
  const perSec = r > 0 ? Number(process.argv[r + 1]) : 100
  const db = new Database(file, { readonly: true })
  const rows = db.prepare('SELECT bytes FROM events').iterate() as Iterable<{ bytes: Buffer }>
  const peaks = authorPeaks((function* () { for (const row of rows) yield new Uint8Array(row.bytes) })(), perSec).sort((a, b) => b.burst - a.burst)
  db.close()
  for (const p of peaks) {
    const top = Object.entries(p.kinds).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ')
    console.log(`${p.author.slice(-8)}  events ${p.events}  peak 1 s ${p.peak1s}  peak 5 s ${p.peak5s}  burst needed at ${perSec}/s ${p.burst}  (${top})`)
  }
}
