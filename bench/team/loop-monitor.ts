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
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

/** A message from the parent. */
export type MonitorRequest = { type: 'loop'; reset?: boolean } | { type: 'profile-stop' }

/** The answer to `loop`: delays in ms since the last reset; stalls as [start wall ms, length ms, CPU ms of the process meanwhile]. */
export interface LoopReport {
  type: 'loop'
  p50: number
  p99: number
  max: number
  count: number
  stalls: Array<[number, number, number]>
}

const TICK_MS = 10
const STALL_MS = 50

if (process.send != null) {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  let stalls: Array<[number, number, number]> = []
  let last = performance.now()
  let lastCpu = process.cpuUsage()
  setInterval(() => {
    const now = performance.now()
    const cpu = process.cpuUsage()
    const late = now - last - TICK_MS
    // All threads of the process (the SQLite writer's too): an upper bound for the loop's own.
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000
    if (late > STALL_MS) stalls.push([Math.round(performance.timeOrigin + last), Math.round(late), Math.round(cpuMs)])
    last = now
    lastCpu = cpu
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
      const r: LoopReport = { type: 'loop', p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), count: h.count, stalls }
      process.send?.(r)
      if (m.reset) {
        h.reset()
        stalls = []
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
