/**
 * What a phase's longest main-thread tasks ran, read from a Chrome trace of the page
 * (`CHORUS_UI_TRACE=<dir>` in bench/ui.ts): per task, the trace events inside it that took
 * 5 ms or more (script evaluation, timers, animation frames, GC, layout …, nested by
 * containment) and the functions the V8 sampler found on top of the stack, by self time. A
 * long task is one task of the event loop, so this names the work that has to be split.
 */
import { writeFileSync } from 'node:fs'
import type { Browser, Page } from '@playwright/test'

/** Task boundaries, what runs inside them, and V8's sampled stacks on the same clock. */
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler', 'disabled-by-default-v8.gc']

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  id?: string
  args?: { name?: string; data?: Record<string, unknown> & { cpuProfile?: CpuChunk; timeDeltas?: number[]; startTime?: number } }
}
interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface CpuChunk { nodes?: Array<{ id: number; callFrame: CallFrame; parent?: number }>; samples?: number[] }

/** Starts tracing the page (Chromium only). */
export const startTrace = (browser: Browser, page: Page): Promise<void> => browser.startTracing(page, { categories: CATEGORIES })

/** Stops tracing, writes `<file>.json` and `<file>.txt` (the `top` longest tasks explained) and returns the summary. */
export async function stopTrace(browser: Browser, file: string, top = 3): Promise<string> {
  const raw = await browser.stopTracing()
  writeFileSync(`${file}.json`, raw)
  const summary = explainLongTasks(JSON.parse(raw.toString('utf8')), top)
  writeFileSync(`${file}.txt`, summary)
  return summary
}

const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask'])

/** The `top` longest tasks of the busiest renderer main thread, each with what ran inside it. */
export function explainLongTasks(trace: { traceEvents: TraceEvent[] } | TraceEvent[], top: number): string {
  const events = Array.isArray(trace) ? trace : trace.traceEvents
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`))
  const busy = new Map<string, number>()
  for (const e of events) if (e.ph === 'X' && TASK.has(e.name) && mains.has(`${e.pid}:${e.tid}`)) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0))
  const main = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0]
  if (main == null) return 'no renderer main thread in the trace\n'
  const on = events.filter((e) => `${e.pid}:${e.tid}` === main)
  // Outermost tasks only: the scheduler's RunTask nests the task runner's.
  const all = on.filter((e) => e.ph === 'X' && TASK.has(e.name)).sort((a, b) => a.ts - b.ts)
  const outer = all.filter((e, i) => i === 0 || e.ts >= all[i - 1].ts + (all[i - 1].dur ?? 0) || !TASK.has(all[i - 1].name))
  const tasks = outer.filter((e, i) => !outer.slice(0, i).some((o) => o.ts <= e.ts && e.ts < o.ts + (o.dur ?? 0))).sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, top)
  const t0 = Math.min(...on.filter((e) => e.ph === 'X').map((e) => e.ts))
  const samples = sampled(events, main)
  const out: string[] = []
  for (const t of tasks) {
    const [from, to] = [t.ts, t.ts + (t.dur ?? 0)]
    out.push(`task ${ms(t.dur)} ms at ${ms(t.ts - t0)} ms into the trace`)
    const inside = on.filter((e) => e.ph === 'X' && e !== t && !TASK.has(e.name) && e.ts >= from && e.ts < to && (e.dur ?? 0) >= 5000).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
    const open: number[] = []
    for (const e of inside.slice(0, 60)) {
      while (open.length > 0 && e.ts >= open[open.length - 1]) open.pop()
      out.push(`${'  '.repeat(open.length + 1)}${e.name} ${ms(e.dur)} ms${detail(e)}`)
      open.push(e.ts + (e.dur ?? 0))
    }
    const self = new Map<string, number>()
    let n = 0
    for (const s of samples) {
      if (s.ts < from || s.ts >= to) continue
      n++
      self.set(s.frame, (self.get(s.frame) ?? 0) + s.dt)
    }
    out.push(`  sampled: ${n} samples; self time by function:`)
    for (const [f, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`    ${ms(us)} ms ${f}`)
  }
  return `${out.join('\n')}\n`
}

/** V8's samples of one thread as (time, top frame, interval), from the trace's profile chunks. */
function sampled(events: TraceEvent[], thread: string): Array<{ ts: number; frame: string; dt: number }> {
  const starts = new Map<string, number>()
  const pid = Number(thread.split(':')[0])
  for (const e of events) if (e.name === 'Profile' && e.id != null && `${e.pid}:${e.tid}` === thread) starts.set(e.id, Number(e.args?.data?.startTime))
  const out: Array<{ ts: number; frame: string; dt: number }> = []
  for (const [id, start] of starts) {
    const frames = new Map<number, string>()
    let ts = start
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || e.id !== id || e.pid !== pid) continue
      const data = e.args?.data
      for (const node of data?.cpuProfile?.nodes ?? []) {
        const c = node.callFrame
        frames.set(node.id, `${c.functionName || '(anonymous)'} ${(c.url ?? '').replace(/^.*\/_next\//, '')}:${c.lineNumber + 1}:${c.columnNumber + 1}`)
      }
      const ids = data?.cpuProfile?.samples ?? []
      const deltas = data?.timeDeltas ?? []
      for (let i = 0; i < ids.length; i++) {
        ts += deltas[i] ?? 0
        out.push({ ts, frame: frames.get(ids[i]) ?? '?', dt: 0 })
      }
    }
  }
  out.sort((a, b) => a.ts - b.ts)
  for (let i = 0; i + 1 < out.length; i++) out[i].dt = Math.min(out[i + 1].ts - out[i].ts, 10_000)
  return out
}

const detail = (e: TraceEvent): string => {
  const d = e.args?.data
  if (d == null) return ''
  const url = typeof d.url === 'string' && d.url !== '' ? `${d.url.replace(/^.*\/_next\//, '')}${d.lineNumber == null ? '' : `:${Number(d.lineNumber) + 1}`}` : undefined
  const parts = [d.functionName, url, d.type, d.timerId == null ? undefined : `timer ${d.timerId}`].filter((x) => typeof x === 'string' && x !== '')
  return parts.length > 0 ? ` (${parts.join(' ')})` : ''
}

const ms = (us: number | undefined): string => ((us ?? 0) / 1000).toFixed(1)
