/**
 * TURN as docs/deploy.md sets it up: coturn (Debian `coturn`) with a long-term credential, and
 * `CHORUS_ICE_SERVERS` written as the docs write it. Two WebRTC peers that may use relayed
 * candidates only (as tabs behind symmetric NAT must) open a data channel through coturn with
 * the right credential, and gather nothing with a wrong one — so the list the relay hands to
 * tabs is in a shape a WebRTC stack uses, and TURN is really what carries the data.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { requireTool } from '../testing/tools'
import { until } from '../testing/until'
import { parseIceServers } from './ice'

const channelScript = fileURLToPath(new URL('../testing/turn-channel.ts', import.meta.url))
const cleanup: Array<() => void> = []
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c()
})

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => res(p))
    })
  })
}

/** True once something accepts TCP connections on the loopback port (coturn prints no ready line). */
function accepts(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1', () => (s.destroy(), res(true)))
    s.on('error', () => res(false))
  })
}

async function startCoturn(port: number, user: string): Promise<{ log: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-turn-'))
  const child: ChildProcess = spawn(requireTool('turnserver'), [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--realm=chorus.test', '--lt-cred-mech', `--user=${user}`, `--userdb=${join(dir, 'turndb')}`,
    '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', '--log-file=stdout', '--simple-log', '--verbose',
    `--pidfile=${join(dir, 'turn.pid')}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  cleanup.push(() => {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  await until('coturn to listen', async () => child.exitCode != null || (await accepts(port)), 15_000)
  if (child.exitCode != null) throw new Error(`turnserver exited: ${out}`)
  return { log: () => out }
}

/**
 * Two relay-only peers in a child process (see `turn-channel.ts` for why not here); resolves to
 * what arrived over their data channel (or nothing). The child is killed once it has answered,
 * or at the deadline if native code hangs, so a deadlock fails this test instead of the run.
 */
type ChannelResult = { received?: string; relayCandidates: number; error?: string }

function relayOnlyChannel(iceServers: ReturnType<typeof parseIceServers>, waitMs: number): Promise<ChannelResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', channelScript, JSON.stringify(iceServers), String(waitMs)], { stdio: ['ignore', 'pipe', 'pipe'] })
  // Killed on every path, a vitest time-out included: a deadlocked child never outlives the test.
  cleanup.push(() => child.kill('SIGKILL'))
  let out = ''
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  child.stdout.on('data', (d) => (out += d))
  /** The child's one JSON line, once it is whole. */
  const answer = (): ChannelResult | undefined => {
    const line = out.split('\n').slice(0, -1).find((l) => l.startsWith('{'))
    try {
      return line == null ? undefined : (JSON.parse(line) as ChannelResult)
    } catch {
      return { relayCandidates: 0, error: `unreadable answer: ${line}` }
    }
  }
  return new Promise((resolve) => {
    let settled = false
    const done = (r: ChannelResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      resolve(r)
    }
    const timer = setTimeout(() => done({ relayCandidates: 0, error: `no answer within ${waitMs + 10_000} ms: ${err.slice(-1000)}` }), waitMs + 10_000)
    child.stdout.on('data', () => {
      const r = answer()
      if (r != null) done(r)
    })
    child.on('error', (e) => done({ relayCandidates: 0, error: `could not start: ${e.message}` }))
    // 'close', not 'exit': every byte of stdout has been read by then.
    child.on('close', () => done(answer() ?? { relayCandidates: 0, error: `exited without an answer: ${err.slice(-1000)}` }))
  })
}

describe('TURN with coturn', () => {
  it('carries a relay-only data channel with the configured credential, and nothing with a wrong one', async () => {
    const port = await freePort()
    const turn = await startCoturn(port, 'chorus:change-me')
    const servers = (credential: string) =>
      parseIceServers(JSON.stringify([{ urls: `stun:127.0.0.1:${port}` }, { urls: `turn:127.0.0.1:${port}?transport=udp`, username: 'chorus', credential }]))

    // A fresh pair of peers in a fresh process per try: libdatachannel's DTLS start can stall in
    // native code now and then, and one stalled pair says nothing about the TURN set-up.
    let good = await relayOnlyChannel(servers('change-me'), 15_000)
    for (let tries = 1; tries < 3 && good.received == null; tries++) {
      console.log(`TURN: no message on try ${tries} (${good.relayCandidates} relay candidates${good.error ? `, ${good.error}` : ''}); a new pair tries again`)
      good = await relayOnlyChannel(servers('change-me'), 15_000)
    }
    expect(good.received, `${good.error ?? ''}\n${turn.log().slice(-2000)}`).toBe('hello through TURN')
    expect(good.relayCandidates).toBeGreaterThan(0)
    // coturn made an allocation for the configured user: the data went through it.
    expect(turn.log()).toMatch(/new, realm=<chorus\.test>, username=<chorus>/)

    const bad = await relayOnlyChannel(servers('wrong'), 5_000)
    expect(bad.error).toBeUndefined()
    expect(bad.relayCandidates).toBe(0)
    expect(bad.received).toBeUndefined()
  }, 150_000)
})
