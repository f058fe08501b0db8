/**
 * Preloaded into the relay's process by the realistic-room bench (`node --import tsx --import
 * ./bench/team/loop-monitor.ts bin/chorus-mesh.js …`), so the product command runs unchanged:
 * it measures the event loop (perf_hooks' delay histogram, and every stall over 50 ms as
 * seen by a 10 ms timer, with the CPU time the process used meanwhile) and, with
 * CHORUS_BENCH_PROFILE=<file>, takes a CPU profile through the inspector until asked to stop
 * (with CHORUS_BENCH_HEAP=1 also a sampling heap profile of what was allocated, `<file>.heapprofile`).
 * It answers the parent over IPC. On a loaded machine a stall is partly the process waiting for
 * a core: a stall whose CPU time is far below its length was mostly the scheduler's, one whose
 * CPU time is close to it was code holding the loop.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'

/** A message from the parent. */
export type MonitorRequest = { type: 'loop'; reset?: boolean } | { type: 'profile-stop' }

/**
 * A stall: [start wall ms, length ms, CPU ms of the whole process meanwhile, CPU ms of the main
 * thread, ms the main thread waited runnable for a core, ms of garbage-collection pauses inside
 * it, start on the monotonic clock CPU profiles use (ms)]. The main thread's figures are -1
 * where `/proc/thread-self/schedstat` cannot be read.
 */
export type Stall = [number, number, number, number, number, number, number]

/** The answer to `loop`: delays in ms since the last reset, and the stalls over 50 ms. */
export interface LoopReport {
  type: 'loop'
  p50: number
  p99: number
  max: number
  count: number
  stalls: Stall[]
}

const TICK_MS = 10
const STALL_MS = 50
/** GC pauses kept for the stalls' figures: a run of minutes has a few thousand scavenges. */
const GC_KEPT = 200_000

/** The calling thread's time on a CPU and runnable on a run queue (ns), from the kernel's schedstat. */
function threadSched(): [number, number] | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')
    return [Number(run), Number(wait)]
  } catch {
    return undefined
  }
}

/** GC pauses' total ms inside [from, to] (performance.now() ms), from pauses kept as [start, duration]. */
function gcWithin(pauses: ReadonlyArray<readonly [number, number]>, from: number, to: number): number {
  let ms = 0
  for (const [start, d] of pauses) ms += Math.max(0, Math.min(to, start + d) - Math.max(from, start))
  return Math.round(ms)
}

if (process.send != null) {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  let stalls: Stall[] = []
  // Where performance.now() is 0 on the monotonic clock a CPU profile's timestamps use.
  const monoOrigin = Number(process.hrtime.bigint()) / 1e6 - performance.now()
  const gcPauses: Array<[number, number]> = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (gcPauses.length < GC_KEPT) gcPauses.push([e.startTime, e.duration])
  }).observe({ entryTypes: ['gc'] })
  let last = performance.now()
  let lastCpu = process.cpuUsage()
  let lastMain = threadSched()
  setInterval(() => {
    const now = performance.now()
    const cpu = process.cpuUsage()
    const main = threadSched()
    const late = now - last - TICK_MS
    // All threads of the process (the SQLite writer's and the GC's helpers too): an upper bound for the loop's own.
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000
    // The main thread alone: what holding the loop cost, and how long it waited for a core meanwhile.
    const [mainMs, waitMs] = main && lastMain ? [(main[0] - lastMain[0]) / 1e6, (main[1] - lastMain[1]) / 1e6] : [-1, -1]
    if (late > STALL_MS) stalls.push([Math.round(performance.timeOrigin + last), Math.round(late), Math.round(cpuMs), Math.round(mainMs), Math.round(waitMs), 0, Math.round(monoOrigin + last)])
    last = now
    lastCpu = cpu
    lastMain = main
  }, TICK_MS).unref()

  const file = process.env.CHORUS_BENCH_PROFILE
  const session = file ? new Session() : undefined
  if (session) {
    session.connect()
    session.post('Profiler.enable')
    session.post('Profiler.setSamplingInterval', { interval: 500 })
    session.post('Profiler.start')
    // Allocations sampled every 64 KiB, those already collected kept: where GC pressure comes from.
    if (process.env.CHORUS_BENCH_HEAP === '1') session.post('HeapProfiler.startSampling', { samplingInterval: 65536, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as object)
  }

  process.on('message', (m: MonitorRequest) => {
    if (m.type === 'loop') {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100
      // GC entries arrive after their pause, so the pauses are matched to stalls only now.
      for (const st of stalls) st[5] = gcWithin(gcPauses, st[6] - monoOrigin, st[6] - monoOrigin + st[1] + TICK_MS)
      const r: LoopReport = { type: 'loop', p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), count: h.count, stalls }
      process.send?.(r)
      if (m.reset) {
        h.reset()
        stalls = []
        gcPauses.length = 0
      }
    } else if (m.type === 'profile-stop' && session && file) {
      session.post('Profiler.stop', (err, res) => {
        if (!err) writeFileSync(file, JSON.stringify(res.profile))
        if (process.env.CHORUS_BENCH_HEAP !== '1') return void process.send?.({ type: 'profile', written: !err })
        session.post('HeapProfiler.stopSampling', (herr, hres) => {
          if (!herr) writeFileSync(`${file}.heapprofile`, JSON.stringify(hres.profile))
          process.send?.({ type: 'profile', written: !err })
        })
      })
    }
  })
  // The IPC channel must not keep the relay alive after it is told to stop.
  process.channel?.unref()
}
