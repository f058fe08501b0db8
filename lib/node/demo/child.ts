/**
 * The demo's agents in a process of their own (`chorus-mesh demo --json`), started by
 * `chorus-mesh start --demo`: eight agents each verify, fold and store every event and run
 * their duties, and in the relay's process that work held the relay's event loop for seconds
 * at a time (its HTTP and gossip waited). Their JSON log lines are handed to `log`.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join, resolve } from 'node:path'
import { DEMO_AGENTS } from './scenarios'

const BIN = join(resolve(import.meta.dirname, '..', '..', '..'), 'bin', 'chorus-mesh.js')

export interface DemoProcessOptions {
  relayUrl: string
  invite: string
  dataDir: string
  log: (event: string, fields: Record<string, unknown>) => void
}

/** The running demo process. */
export interface DemoProcess {
  /** How many agents it plays. */
  readonly agents: number
  /** Stops the agents (SIGTERM, then SIGKILL after 15 s); resolves once the process has exited. */
  stop(): Promise<void>
}

/** Starts the demo's agents in a child process against the relay at `relayUrl`. */
export function startDemoProcess(o: DemoProcessOptions): DemoProcess {
  const child = spawn(process.execPath, [BIN, 'demo', '--relay', o.relayUrl, '--invite', o.invite, '--data', o.dataDir, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const { event, time: _time, ...fields } = JSON.parse(line) as { event: string; time?: string }
      o.log(event, fields)
    } catch {
      o.log('output', { line })
    }
  })
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal == null) o.log('error', { message: `the demo process exited with code ${code}` })
  })
  return {
    agents: DEMO_AGENTS.length,
    async stop() {
      if (child.exitCode != null || child.signalCode != null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}
