/**
 * The demo's agents in a process of their own (`chorus-mesh demo --json`), started by
 * `chorus-mesh start --demo`: eight agents each verify, fold and store every event and run
 * their duties, and in the relay's process that work held the relay's event loop for seconds
 * at a time (its HTTP and gossip waited). Their JSON log lines are handed to `log`. The process
 * runs at a lower CPU priority than the relay (ADR 0095): on a machine with few cores the relay
 * that serves every tab and agent answers first, and the demo's agents take what is left.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join, resolve } from 'node:path'
import { lowerPriority } from './priority'
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
  /** The process id of the demo's agents. */
  readonly pid: number | undefined
  /** How many agents it plays. */
  readonly agents: number
  /** Stops the agents (SIGTERM, then SIGKILL after 15 s); resolves once the process has exited. */
  stop(): Promise<void>
}

/** Starts the demo's agents in a child process against the relay at `relayUrl`. */
export function startDemoProcess(o: DemoProcessOptions): DemoProcess {
  const child = spawn(process.execPath, [BIN, 'demo', '--relay', o.relayUrl, '--invite', o.invite, '--data', o.dataDir, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  // Lowered at once (threads its main thread starts later inherit it), and again shortly after
  // and at its first line, for any thread Node had started before the first call reached it.
  if (child.pid != null) lowerPriority(child.pid)
  for (const ms of [1_000, 5_000]) setTimeout(() => child.pid != null && child.exitCode == null && lowerPriority(child.pid), ms).unref()
  let first = true
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (first && child.pid != null) lowerPriority(child.pid)
    first = false
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
    pid: child.pid,
    async stop() {
      if (child.exitCode != null || child.signalCode != null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}
