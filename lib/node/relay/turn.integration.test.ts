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
import { RTCPeerConnection } from 'node-datachannel/polyfill'
import { afterEach, describe, expect, it } from 'vitest'
import { requireTool } from '../testing/tools'
import { until } from '../testing/until'
import { parseIceServers } from './ice'

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

/** Two relay-only peers; resolves to what arrived over their data channel (or nothing). */
async function relayOnlyChannel(iceServers: ReturnType<typeof parseIceServers>, waitMs: number): Promise<{ received?: string; relayCandidates: number }> {
  const config = { iceServers, iceTransportPolicy: 'relay' as const }
  const a = new RTCPeerConnection(config)
  const b = new RTCPeerConnection(config)
  cleanup.push(() => (a.close(), b.close()))
  let relayCandidates = 0
  const forward = (to: RTCPeerConnection) => (e: RTCPeerConnectionIceEvent) => {
    if (e.candidate == null || e.candidate.candidate === '') return
    if (/ typ relay/.test(e.candidate.candidate)) relayCandidates++
    void to.addIceCandidate(e.candidate)
  }
  a.onicecandidate = forward(b)
  b.onicecandidate = forward(a)
  let received: string | undefined
  b.ondatachannel = (e) => {
    e.channel.onmessage = (m) => (received = String(m.data))
  }
  const channel = a.createDataChannel('chorus')
  channel.onopen = () => channel.send('hello through TURN')
  const offer = await a.createOffer()
  await a.setLocalDescription(offer)
  await b.setRemoteDescription(offer)
  const answer = await b.createAnswer()
  await b.setLocalDescription(answer)
  await a.setRemoteDescription(answer)
  await until('the message', () => received != null, waitMs).catch(() => undefined)
  return { received, relayCandidates }
}

describe('TURN with coturn', () => {
  it('carries a relay-only data channel with the configured credential, and nothing with a wrong one', async () => {
    const port = await freePort()
    const turn = await startCoturn(port, 'chorus:change-me')
    const servers = (credential: string) =>
      parseIceServers(JSON.stringify([{ urls: `stun:127.0.0.1:${port}` }, { urls: `turn:127.0.0.1:${port}?transport=udp`, username: 'chorus', credential }]))

    const good = await relayOnlyChannel(servers('change-me'), 20_000)
    expect(good.received, turn.log().slice(-2000)).toBe('hello through TURN')
    expect(good.relayCandidates).toBeGreaterThan(0)
    // coturn made an allocation for the configured user: the data went through it.
    expect(turn.log()).toMatch(/new, realm=<chorus\.test>, username=<chorus>/)

    const bad = await relayOnlyChannel(servers('wrong'), 5_000)
    expect(bad.relayCandidates).toBe(0)
    expect(bad.received).toBeUndefined()
  }, 60_000)
})
