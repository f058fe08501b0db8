import { describe, expect, it } from 'vitest'
import { constants, getPriority } from 'node:os'
import { spawn } from 'node:child_process'
import { cpuShare, cpuSnapshot, niceByGroup, type CpuSnapshot } from './cpu-share'
import { spinCpu } from './spin'

const snap = (rows: Array<[number, string, number]>): CpuSnapshot => new Map(rows.map(([pid, cmd, s]) => [pid, { cmd, s }]))

describe('cpuShare', () => {
  it('sums the CPU each kind of process used between two snapshots; a process that started meanwhile counts from zero', () => {
    const before = snap([[10, 'node bin/chorus-mesh.js start --demo', 5], [11, 'node agent-child.ts', 1], [12, 'node bin/chorus-mesh.js demo --relay x', 2], [13, 'node something-else', 7]])
    const after = snap([[10, 'node bin/chorus-mesh.js start --demo', 9.5], [11, 'node agent-child.ts', 3], [12, 'node bin/chorus-mesh.js demo --relay x', 2.5], [13, 'node something-else', 7], [14, '/usr/lib/chromium/chromium --type=renderer', 4], [15, 'next-server (v16)', 0.3], [16, 'node agent-child.ts', 1]])
    expect(cpuShare(before, after, { relay: 10, agents: [11, 16] })).toEqual({ relay: 4.5, 'workload agents': 3, 'demo agents': 0.5, 'tabs (browser)': 4, 'web app': 0.3 })
  })

  it("counts another's browser or web app on the machine as other work when the run's root is known", () => {
    const row = (pid: number, ppid: number, cmd: string, s: number) => [pid, { cmd, s, ppid }] as const
    const before: CpuSnapshot = new Map()
    const after: CpuSnapshot = new Map([row(100, 1, 'node bench', 1), row(10, 100, 'node bin/chorus-mesh.js start --demo', 2), row(20, 10, 'next-server (v16)', 1), row(30, 100, '/usr/lib/chromium/chromium', 3), row(31, 30, '/usr/lib/chromium/chromium --type=renderer', 4), row(40, 1, '/usr/lib/chromium/chromium', 8), row(41, 40, '/usr/lib/chromium/chromium --type=renderer', 9), row(50, 1, 'next-server (v16)', 5)])
    expect(cpuShare(before, after, { relay: 10, agents: [], root: 100 })).toEqual({ bench: 1, relay: 2, 'web app': 1, 'tabs (browser)': 7, other: 22 })
  })

  it('reads this process among the others, with the CPU it has used', () => {
    const t0 = cpuSnapshot().get(process.pid)?.s ?? Number.NaN
    spinCpu(100)
    const t1 = cpuSnapshot().get(process.pid)?.s ?? Number.NaN
    expect(t1 - t0).toBeGreaterThanOrEqual(0.05)
  })

  it('reads each kind of process\'s nice value: a child started through nice shows it, this process its own', async () => {
    const own = getPriority()
    const child = spawn('nice', ['-n', '7', process.execPath, '-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' })
    try {
      // nice execs node in place: wait until the pid runs node, then read.
      const deadline = Date.now() + 5000
      while (!cpuSnapshot().get(child.pid!)?.cmd.startsWith(process.execPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      const groups = niceByGroup(cpuSnapshot(), { relay: process.pid, agents: [child.pid!], root: process.pid })
      expect(groups.relay).toBe(String(own))
      expect(groups['workload agents']).toBe(String(Math.min(own + 7, constants.priority.PRIORITY_LOW)))
    } finally {
      child.kill()
    }
  })
})
