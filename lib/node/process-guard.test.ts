import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { until } from './testing/until'

/** Runs a script in a fresh Node process (a guard installed in the test runner would hide its own reports). */
function run(script: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 })
}

describe('process guard', () => {
  it('keeps a process serving after a rejection nobody awaits and an exception thrown from a timer, and logs both with their reason', () => {
    const r = run(`
      import { installProcessGuard } from './lib/node/process-guard.ts'
      installProcessGuard()
      Promise.reject(new Error('the store is full'))
      setTimeout(() => { throw new Error('a socket callback threw') }, 10)
      setTimeout(() => console.log('still serving'), 200)
    `)
    // Kept running until it had nothing left to do, then ended with a failure code.
    expect(r.stdout).toContain('still serving')
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/unhandled rejection \(kept running\): Error: the store is full/)
    expect(r.stderr).toMatch(/uncaught exception \(kept running\): Error: a socket callback threw/)
  })

  it('a relay started by the chorus-mesh command keeps answering /healthz after a rejection nobody awaits, and counts it on /metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-guard-'))
    // The preload makes the relay's process reject a promise nobody awaits when told to.
    const preload = `data:text/javascript,process.on('SIGUSR2', () => void Promise.reject(new Error('the store is full')))`
    const relay = spawn(process.execPath, ['--import', preload, 'bin/chorus-mesh.js', 'relay', '--data', dir, '--host', '127.0.0.1', '--port', '0', '--http-port', '0'], { cwd: process.cwd() })
    let out = ''
    let err = ''
    relay.stdout.on('data', (d) => (out += d))
    relay.stderr.on('data', (d) => (err += d))
    try {
      await until('the relay is ready', () => /http\s+\S+\/api\/room/.test(out), 60_000)
      const url = out.match(/http\s+(\S+)\/api\/room/)![1]
      relay.kill('SIGUSR2')
      await until('the rejection is logged', () => err.includes('unhandled rejection (kept running): Error: the store is full'), 30_000)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      // An operator sees it on /metrics too, without reading the log.
      const metrics = await (await fetch(`${url}/metrics`)).text()
      expect(metrics).toMatch(/^chorus_process_errors_total\{kind="unhandledRejection"\} 1$/m)
      expect(relay.exitCode).toBeNull()
    } finally {
      relay.kill('SIGTERM')
      await new Promise((r) => (relay.exitCode != null ? r(null) : relay.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
