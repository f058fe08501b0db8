import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { constants, getPriority, tmpdir } from 'node:os'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import type { CpuSnapshot } from './cpu-share'
import { autogroupsByGroup, parseSchedstat, schedShare, schedSnapshot, type SchedStat } from './sched'
import { nicedScript } from './tabs'
import { slowExplained } from './probe'
import { spinCpu } from './spin'

const stat = (mainRunS: number, mainWaitS: number, mainSlices: number, autogroup?: string): SchedStat => ({ mainRunS, mainWaitS, mainSlices, runS: mainRunS, waitS: mainWaitS, autogroup })

describe('sched', () => {
  it('reads a schedstat line as seconds on a CPU, seconds waiting for one, and slices', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (run, wait, slices) => {
        const got = parseSchedstat(`${run} ${wait} ${slices}\n`)
        expect(got).toEqual([run / 1e9, wait / 1e9, slices])
      }),
    )
    expect(parseSchedstat('12 x 3')).toBeUndefined()
    expect(parseSchedstat('12 3')).toBeUndefined()
  })

  it("sums each kind of process's main threads between two snapshots; a process that started meanwhile counts from zero", () => {
    const cpu: CpuSnapshot = new Map([
      [100, { cmd: 'node bench', s: 0, ppid: 1 }],
      [10, { cmd: 'node bin/chorus-mesh.js start --demo', s: 0, ppid: 100 }],
      [11, { cmd: 'node agent-child.ts', s: 0, ppid: 100 }],
      [12, { cmd: 'node agent-child.ts', s: 0, ppid: 100 }],
      [30, { cmd: '/usr/bin/chromium --type=renderer', s: 0, ppid: 100 }],
    ])
    const before = new Map([[10, stat(5, 1, 100)], [11, stat(2, 0.5, 10)], [12, stat(1, 1, 10)]])
    const after = new Map([[10, stat(9, 1.5, 300, '/autogroup-1 nice 0')], [11, stat(12, 4.5, 50)], [12, stat(6, 2, 40)], [30, stat(3, 2, 7, '/autogroup-2 nice 10')]])
    const known = { relay: 10, agents: [11, 12], root: 100 }
    expect(schedShare(before, after, cpu, known)).toEqual({
      relay: { mainRunS: 4, mainWaitS: 0.5, mainSlices: 200, waitS: 0.5, processes: 1 },
      'workload agents': { mainRunS: 15, mainWaitS: 5, mainSlices: 70, waitS: 5, processes: 2 },
      'tabs (browser)': { mainRunS: 3, mainWaitS: 2, mainSlices: 7, waitS: 2, processes: 1 },
    })
    expect(autogroupsByGroup(after, cpu, known)).toEqual({ relay: ['/autogroup-1 nice 0'], 'tabs (browser)': ['/autogroup-2 nice 10'] })
  })

  it('reads the CPU this process runs on its main thread', () => {
    const t0 = schedSnapshot([process.pid]).get(process.pid)?.mainRunS ?? Number.NaN
    spinCpu(100)
    const t1 = schedSnapshot([process.pid]).get(process.pid)?.mainRunS ?? Number.NaN
    expect(t1 - t0).toBeGreaterThanOrEqual(0.05)
  })

  it("puts a browser started in a session of its own (as Playwright starts it) in a group at the group's nice value, and its threads at theirs", async () => {
    // Empty when this process is in init's session (no autogroup of its own), as under a CI runner.
    const own = readFileSync('/proc/self/autogroup', 'utf8')
    const dir = mkdtempSync(join(tmpdir(), 'chorus-sched-'))
    try {
      // Stands in for the browser: says which group it runs in and at which nice value.
      const real = join(dir, 'browser.sh')
      writeFileSync(real, '#!/bin/sh\ncat /proc/self/autogroup\ncut -d" " -f19 /proc/self/stat\n')
      chmodSync(real, 0o755)
      const wrapper = join(dir, 'wrapper.sh')
      writeFileSync(wrapper, nicedScript(real, 10, 10, false))
      chmodSync(wrapper, 0o755)
      const p = spawn(wrapper, [], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      p.stdout.on('data', (d: Buffer) => (out += d.toString()))
      await new Promise((r) => p.once('exit', r))
      const [group, nice] = out.trim().split('\n')
      expect(group).toMatch(/^\/autogroup-\d+ nice 10$/)
      expect(group).not.toBe(own.trim())
      expect(nice).toBe(String(Math.min(getPriority() + 10, constants.priority.PRIORITY_LOW)))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('slowExplained', () => {
  it('counts a slow probe as the loop\'s when stalls overlapping it cover at least half its latency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 251, max: 5000 }), fc.integer({ min: -6000, max: 6000 }), fc.integer({ min: 51, max: 6000 }), (start, ms, offset, len) => {
        const s = start + offset
        const covered = Math.max(0, Math.min(start + ms, s + len) - Math.max(start, s))
        expect(slowExplained([[start, ms]], [[s, len, 0]])).toEqual({ slow: 1, byLoop: covered * 2 >= ms ? 1 : 0 })
      }),
    )
    // Two stalls, each under half the probe, together over half.
    expect(slowExplained([[1000, 400]], [[1000, 120, 0], [1200, 120, 0]])).toEqual({ slow: 1, byLoop: 1 })
    expect(slowExplained([[1000, 400]], [[900, 50, 0], [1500, 300, 0]])).toEqual({ slow: 1, byLoop: 0 })
  })
})
