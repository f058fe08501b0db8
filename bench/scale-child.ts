/**
 * The scale benchmark's agent processes, seen from the parent: the IPC protocol and the handle
 * that forks `bench/scale.ts --scale-child` and drives it one request at a time.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Load } from './load-meter'

/** Agents per child process (2 cores here: a few children, each a full libp2p stack per agent). */
export const AGENTS_PER_CHILD = 25

/** Parent → child. */
export type Command =
  | { t: 'author'; agent: number; taskId: string; title: string; repository: string }
  | { t: 'watch'; id: string; timeoutMs: number }
  | { t: 'members' }
  | { t: 'stats' }
  | { t: 'stop' }
/** Child → parent. */
export type Reply =
  | { t: 'ready'; peers: string[] }
  | { t: 'authored'; id: string; start: number; authoredIn: number }
  | { t: 'arrivals'; times: (number | null)[] }
  | { t: 'members'; min: number; max: number; load: Load; paceMs: number }
  /** `meshDrops`: the agents' PRUNEs of a peer of their events mesh (their relay) since the child was ready. */
  | { t: 'stats'; duplicates: number; syncBytes: number; syncReceived: number; syncAdded: number; offered: number; meshDrops: number }
  | { t: 'error'; message: string }

/** A child process running some of the agents, driven over IPC (one request at a time). */
export class AgentChild {
  private readonly proc: ChildProcess
  private waiter?: (r: Reply) => void
  private queue: Promise<unknown> = Promise.resolve()
  readonly ready: Promise<string[]>

  constructor(env: Record<string, string>) {
    // SCALE_PROFILE_DIR: each agent process writes a V8 CPU profile there when it exits.
    const profile = process.env.SCALE_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SCALE_PROFILE_DIR}`] : []
    this.proc = fork(fileURLToPath(new URL('./scale.ts', import.meta.url)), ['--scale-child'], { execArgv: ['--import', 'tsx', ...profile], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    this.ready = new Promise((resolve, reject) => {
      this.waiter = (r) => (r.t === 'ready' ? resolve(r.peers) : reject(new Error(r.t === 'error' ? r.message : 'child failed')))
      this.proc.once('exit', (code) => reject(new Error(`scale child exited with ${code}`)))
    })
    this.proc.on('message', (m: Reply) => {
      const w = this.waiter
      this.waiter = undefined
      w?.(m)
    })
  }

  /** Sends a command and resolves with its reply (commands to one child are serialized). */
  ask<R extends Reply>(cmd: Command): Promise<R> {
    const run = this.queue.then(
      () =>
        new Promise<R>((resolve, reject) => {
          this.waiter = (r) => (r.t === 'error' ? reject(new Error(r.message)) : resolve(r as R))
          this.proc.send(cmd)
        }),
    )
    this.queue = run.catch(() => undefined)
    return run
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode != null) return
    const exited = new Promise((r) => this.proc.once('exit', r))
    await this.ask({ t: 'stop' }).catch(() => undefined)
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(timer)
  }
}
