import { spawn } from 'node:child_process'
import { cpus } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { CpuSnapshot } from './cpu-share'
import { allowedCpus, pin, pinPlan, TWO_HOSTS } from './cores'

const row = (pid: number, ppid: number, cmd: string) => [pid, { cmd, s: 0, ppid }] as const

describe('pinPlan', () => {
  it("puts the relay and the bench on the relay's core, the room's other processes on the other, and leaves another's work alone", () => {
    const snap: CpuSnapshot = new Map([
      row(100, 1, 'node bench/team/beside.ts'),
      row(10, 100, 'node bin/chorus-mesh.js start --demo'),
      row(11, 10, 'node bin/chorus-mesh.js demo --relay http://127.0.0.1:1'),
      row(12, 10, 'next-server (v16)'),
      row(20, 100, 'node agent-child.ts'),
      row(30, 100, '/usr/lib/chromium/chromium'),
      row(31, 30, '/usr/lib/chromium/chromium --type=renderer'),
      row(40, 1, '/usr/lib/chromium/chromium'),
      row(50, 100, 'sh -c something'),
    ])
    const plan = new Map(pinPlan(snap, { relay: 10, agents: [20], root: 100 }, TWO_HOSTS))
    expect(Object.fromEntries(plan)).toEqual({ 100: '0', 10: '0', 11: '1', 12: '1', 20: '1', 30: '1', 31: '1' })
  })
})

describe('pin', () => {
  it('moves every thread of a running process to the CPUs given, as the kernel reads it back', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    try {
      await new Promise((r) => child.once('spawn', r))
      const last = String(cpus().length - 1)
      expect(pin(child.pid!, last)).toBe(true)
      expect(allowedCpus(child.pid!)).toBe(last)
      expect(pin(2 ** 22 + 17, '0')).toBe(false)
    } finally {
      child.kill()
    }
  })
})
