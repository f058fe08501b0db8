import { describe, expect, it } from 'vitest'
import { cpuShare, cpuSnapshot, type CpuSnapshot } from './cpu-share'

const snap = (rows: Array<[number, string, number]>): CpuSnapshot => new Map(rows.map(([pid, cmd, s]) => [pid, { cmd, s }]))

describe('cpuShare', () => {
  it('sums the CPU each kind of process used between two snapshots; a process that started meanwhile counts from zero', () => {
    const before = snap([[10, 'node bin/chorus-mesh.js start --demo', 5], [11, 'node agent-child.ts', 1], [12, 'node bin/chorus-mesh.js demo --relay x', 2], [13, 'node something-else', 7]])
    const after = snap([[10, 'node bin/chorus-mesh.js start --demo', 9.5], [11, 'node agent-child.ts', 3], [12, 'node bin/chorus-mesh.js demo --relay x', 2.5], [13, 'node something-else', 7], [14, '/usr/lib/chromium/chromium --type=renderer', 4], [15, 'next-server (v16)', 0.3], [16, 'node agent-child.ts', 1]])
    expect(cpuShare(before, after, { relay: 10, agents: [11, 16] })).toEqual({ relay: 4.5, 'workload agents': 3, 'demo agents': 0.5, 'tabs (browser)': 4, 'web app': 0.3 })
  })

  it('reads this process among the others, with the CPU it has used', () => {
    const t0 = cpuSnapshot().get(process.pid)?.s ?? Number.NaN
    // Spin until this process has used 100 ms of CPU by its own count (however long a loaded
    // machine makes that take, within 20 s), then ask /proc.
    const u0 = process.cpuUsage()
    const deadline = performance.now() + 20_000
    while (performance.now() < deadline) {
      for (let i = 0; i < 1e5; i++) Math.sqrt(Math.random())
      const u = process.cpuUsage(u0)
      if (u.user + u.system >= 100_000) break
    }
    const t1 = cpuSnapshot().get(process.pid)?.s ?? Number.NaN
    expect(t1 - t0).toBeGreaterThanOrEqual(0.05)
  })
})
