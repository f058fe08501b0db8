/**
 * A real `chorus-mesh relay` process for integration tests: started through the CLI a user
 * runs, ready once `/readyz` answers, with the invites it wrote when it created the room.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { until } from './until'

export const cli = resolve(import.meta.dirname, '..', '..', '..', 'bin', 'chorus-mesh.js')

export interface RelayProcess {
  child: ChildProcess
  output(): string
  /** The room's first invites (`<data>/first-invites.txt`), by role. */
  invites: Record<'agent' | 'admin' | 'reviewer', string>
  /** Sends `signal` and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>
}

/** Reads the invites a relay wrote when it created the room in `dataDir`. */
export function firstInvites(dataDir: string): Record<'agent' | 'admin' | 'reviewer', string> {
  const text = readFileSync(join(dataDir, 'first-invites.txt'), 'utf8')
  const get = (role: string) => {
    const m = new RegExp(`^${role} invite: (\\S+)$`, 'm').exec(text)
    if (m == null) throw new Error(`no ${role} invite in ${dataDir}/first-invites.txt`)
    return m[1]
  }
  return { agent: get('agent'), admin: get('admin'), reviewer: get('reviewer') }
}

/** Spawns `chorus-mesh relay --data dir …args` and waits until it is ready. */
export async function startRelayProcess(dataDir: string, httpUrl: string, args: string[], env: Record<string, string> = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, [cli, 'relay', '--data', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  const kill = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((done) => {
      if (child.exitCode != null || child.signalCode != null) return done()
      child.once('exit', () => done())
      child.kill(signal)
    })
  try {
    await until('the relay process to be ready', async () => {
      if (child.exitCode != null) throw new Error(`relay exited with ${child.exitCode}:\n${out}`)
      const ok = await fetch(`${httpUrl}/readyz`).then((r) => r.ok, () => false)
      return ok && existsSync(join(dataDir, 'first-invites.txt'))
    }, 60_000)
  } catch (err) {
    await kill('SIGKILL')
    throw err
  }
  return { child, output: () => out, invites: firstInvites(dataDir), kill }
}

/** `n` distinct free loopback ports. */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = []
  while (out.length < n) {
    const p = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port
        s.close(() => res(port))
      })
    })
    if (!out.includes(p)) out.push(p)
  }
  return out
}
