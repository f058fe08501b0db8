/**
 * The demo's agents run below the relay's priority (ADR 0095): every thread of the child
 * process `start --demo` spawns is at nice 10 or lower priority, and this process keeps its own.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { getPriority, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { until } from '../testing/until'
import { startDemoProcess, type DemoProcess } from './child'
import { DEMO_NICE, lowerPriority } from './priority'

/** The nice value of every thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceOfThreads(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])]
    } catch {
      return []
    }
  })
}

const children: ChildProcess[] = []
const demos: DemoProcess[] = []
const dirs: string[] = []
const dir = (): string => (dirs.push(mkdtempSync(join(tmpdir(), 'chorus-demo-priority-'))), dirs[dirs.length - 1])
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  await Promise.all(demos.splice(0).map((d) => d.stop()))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('demo priority', () => {
  it('lowers every thread of a running Node process, a worker thread included, and not this one', async () => {
    const script = "const { Worker } = require('node:worker_threads'); new Worker('setInterval(() => {}, 1000)', { eval: true }).on('online', () => console.log('ready')); setInterval(() => {}, 1000)"
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(child)
    await new Promise<void>((r) => child.stdout!.once('data', () => r()))
    const own = getPriority()
    expect(Math.min(...niceOfThreads(child.pid!))).toBe(own)
    // Below this process's priority even when the tests themselves run niced (at 19 nothing is lower).
    const target = Math.min(19, Math.max(DEMO_NICE, own + 1))
    expect(lowerPriority(child.pid!, target)).toBeGreaterThan(own < 19 ? 1 : -1)
    expect(niceOfThreads(child.pid!).every((n) => n >= target)).toBe(true)
    expect(getPriority()).toBe(own)
    expect(lowerPriority(child.pid!, target)).toBe(0) // already there: nothing raised or lowered again
  })

  it('start --demo runs its agents at the lower priority', async () => {
    // A relay that never answers keeps the demo process trying, long enough to look at it.
    const demo = startDemoProcess({ relayUrl: 'http://127.0.0.1:9', invite: 'unused', dataDir: dir(), log: () => {} })
    demos.push(demo)
    const own = getPriority()
    await until('every thread of the demo process at the lower priority', () => {
      const nice = niceOfThreads(demo.pid!)
      return nice.length > 4 && nice.every((n) => n >= DEMO_NICE)
    }, 20_000)
    expect(getPriority()).toBe(own)
  }, 60_000)
})
