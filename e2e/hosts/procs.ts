/**
 * Real processes on the lab's hosts: `chorus-mesh relay`, `chorus-mesh agent --stdin` and the
 * web app (`next start`), each started inside its host's namespace through the same CLI a user
 * runs. Waits are on output and exit events, bounded, never sleeps that guess.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { join, resolve } from 'node:path'
import type { Lab } from './netns'

export const ROOT = resolve(import.meta.dirname, '..', '..')
const CLI = join(ROOT, 'bin', 'chorus-mesh.js')
const NEXT = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next')

/** A process on a lab host with its output kept (last 200 kB) and line listeners. */
export class HostProc {
  private out = ''
  private readonly lineListeners = new Set<(line: string) => void>()
  readonly exited: Promise<number | null>

  constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    for (const s of [child.stdout, child.stderr]) {
      if (!s) continue
      createInterface({ input: s, crlfDelay: Infinity }).on('line', (line) => {
        this.out = (this.out + line + '\n').slice(-200_000)
        for (const l of this.lineListeners) l(line)
      })
    }
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)))
  }

  output(): string {
    return this.out
  }

  get running(): boolean {
    return this.child.exitCode == null && this.child.signalCode == null
  }

  /** Calls `fn` with each further output line; returns the unsubscribe function. */
  onLine(fn: (line: string) => void): () => void {
    this.lineListeners.add(fn)
    return () => this.lineListeners.delete(fn)
  }

  /** Resolves with the first match of `re` in the output (past or future); rejects on exit or timeout. */
  waitFor(re: RegExp, timeoutMs: number, what = re.source): Promise<RegExpMatchArray> {
    const now = this.out.match(re)
    if (now) return Promise.resolve(now)
    return new Promise((resolve, reject) => {
      const done = (err?: Error, m?: RegExpMatchArray) => {
        clearTimeout(timer)
        off()
        this.child.off('exit', onExit)
        if (err) reject(err)
        else resolve(m!)
      }
      const timer = setTimeout(() => done(new Error(`${this.label}: no ${what} after ${timeoutMs} ms; output:\n${this.out.slice(-4000)}`)), timeoutMs)
      const off = this.onLine(() => {
        const m = this.out.match(re)
        if (m) done(undefined, m)
      })
      const onExit = (code: number | null) => done(new Error(`${this.label} exited (${code}) before ${what}; output:\n${this.out.slice(-4000)}`))
      this.child.once('exit', onExit)
    })
  }

  /** Sends `signal` and resolves once the process has exited (SIGKILL after 10 s). */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return
    const force = signal === 'SIGKILL' ? undefined : setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    this.child.kill(signal)
    await this.exited
    clearTimeout(force)
  }
}

const nodeEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extra })

export interface RelaySpec {
  host: string
  dataDir: string
  /** libp2p WebSockets port (inside the host's own namespace, so fixed ports collide with nothing). */
  port?: number
  httpPort?: number
  presenceIntervalMs: number
  /** Extra flags (`--join`, `--invite` …). */
  extra?: string[]
}

/** Starts `chorus-mesh relay` on a lab host and waits until it serves its room. */
export async function startRelay(lab: Lab, spec: RelaySpec, timeoutMs = 120_000): Promise<{ proc: HostProc; room: string; peerId: string; http: string }> {
  const h = lab.host(spec.host)
  const http = spec.httpPort ?? 7781
  const child = lab.spawn(spec.host, process.execPath, [
    CLI, 'relay',
    '--host', h.addr,
    '--port', String(spec.port ?? 7780),
    '--http-port', String(http),
    '--tcp-port', '7782',
    '--data', spec.dataDir,
    '--presence-interval', String(spec.presenceIntervalMs),
    ...(spec.extra ?? []),
  ], { env: nodeEnv() })
  const proc = new HostProc(`relay on ${spec.host}`, child)
  const m = await proc.waitFor(/relay (\S+) (created|serving|joined) room (\S+)/, timeoutMs, 'start-up line')
  // A relay that creates its room prints its first invites, or says which file holds them.
  if (m[2] === 'created') await proc.waitFor(/reviewer invite: \S+|first invites are in \S+/, timeoutMs, 'invites')
  return { proc, peerId: m[1], room: m[3], http: `http://${h.addr}:${http}` }
}

/** The invites a relay made when it created its room (printed, or kept in `<data>/first-invites.txt`). */
export function printedInvites(proc: HostProc, dataDir: string): { agent: string; admin: string; reviewer: string } {
  const file = join(dataDir, 'first-invites.txt')
  const text = existsSync(file) ? readFileSync(file, 'utf8') : proc.output()
  const get = (role: string) => {
    const m = [...text.matchAll(new RegExp(`${role} invite: (\\S+)`, 'g'))].pop()
    if (!m) throw new Error(`${proc.label} made no ${role} invite`)
    return m[1]
  }
  return { agent: get('agent'), admin: get('admin'), reviewer: get('reviewer') }
}

/** `chorus-mesh agent --stdin --json` on a lab host, driven line by line. */
export class AgentProc extends HostProc {
  private nextId = 1
  private readonly waiting = new Map<number, (line: Record<string, unknown>) => void>()

  constructor(label: string, child: ChildProcess) {
    super(label, child)
    this.onLine((line) => {
      if (!line.startsWith('{')) return
      let msg: Record<string, unknown>
      try {
        msg = JSON.parse(line)
      } catch {
        return
      }
      const id = typeof msg.id === 'number' ? msg.id : undefined
      if (id != null && (msg.event === 'result' || msg.event === 'error')) {
        this.waiting.get(id)?.(msg)
        this.waiting.delete(id)
      }
    })
    void this.exited.then(() => {
      for (const w of this.waiting.values()) w({ event: 'error', reason: 'exited', message: `${label} exited` })
      this.waiting.clear()
    })
  }

  /** Sends one JSON command and resolves with its result or error line. */
  command(op: string, args: Record<string, unknown>, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        resolve({ event: 'error', reason: 'timeout', message: `no answer to ${op} in ${timeoutMs} ms` })
      }, timeoutMs)
      this.waiting.set(id, (line) => {
        clearTimeout(timer)
        resolve(line)
      })
      if (!this.running || !this.child.stdin?.writable) return this.waiting.get(id)?.({ event: 'error', reason: 'exited', message: `${this.label} is not running` })
      this.child.stdin.write(`${JSON.stringify({ op, id, ...args })}\n`)
    })
  }
}

export interface AgentSpec {
  host: string
  name: string
  /** Relay HTTP URLs the agent may start from. */
  relays: string[]
  dataDir: string
  invite: string
}

/** Starts `chorus-mesh agent --stdin --json` on a lab host and waits until it has joined. */
export async function startAgent(lab: Lab, spec: AgentSpec, timeoutMs = 120_000): Promise<AgentProc> {
  const child = lab.spawn(spec.host, process.execPath, [
    CLI, 'agent', '--stdin', '--json',
    '--name', spec.name,
    '--relay', spec.relays.join(','),
    '--data', spec.dataDir,
    '--invite', spec.invite,
  ], { env: nodeEnv() })
  const proc = new AgentProc(`agent ${spec.name}`, child)
  await proc.waitFor(/"event":"joined"/, timeoutMs, 'join')
  return proc
}

/** Starts the built web app (`next start`) on a lab host, asking `relays` for the room. */
export async function startWeb(lab: Lab, host: string, relays: string[], port = 3000, timeoutMs = 120_000): Promise<{ proc: HostProc; url: string }> {
  const h = lab.host(host)
  const child = lab.spawn(host, process.execPath, [NEXT, 'start', '--hostname', h.addr, '--port', String(port)], {
    cwd: ROOT,
    env: nodeEnv({ CHORUS_RELAY_HTTP: relays.join(',') }),
  })
  const proc = new HostProc('web app', child)
  await proc.waitFor(/Ready in|started server on|Local:/i, timeoutMs, 'ready line')
  return { proc, url: `http://${h.addr}:${port}` }
}
