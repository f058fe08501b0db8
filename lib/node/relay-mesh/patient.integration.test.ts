/**
 * An agent's first start against a relay that answers `/api/room` late, on loopback: a real
 * relay behind an HTTP front that resets, stalls or refuses the first requests as each test
 * scripts, then passes the rest through. The agent starts once the relay answers (a busy relay is
 * waited for, within a bounded time), and a refusal fails at once with the relay's reason.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startMeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '../relay'
import { scratch } from '../testing/scratch'
import { resolveRoomPatiently, type Patience } from './patient'

const { running, tmp } = scratch('patient')

/** What the front does with one request: drop the connection, never answer, refuse, or pass it to the relay. */
type Step = 'reset' | 'stall' | 'pass' | { status: number; error: string }

/** Small rounds so a test takes seconds; the shape (growing time-outs, jittered pauses) is the product's. */
const QUICK: Patience = { totalMs: 20_000, firstTryMs: 300, maxTryMs: 1200, firstPauseMs: 50, maxPauseMs: 200 }

async function front(relay: Relay, script: readonly Step[]): Promise<{ url: string; requests: () => number }> {
  let n = 0
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const step = script[Math.min(n++, script.length - 1)]
    if (step === 'reset') return void req.socket.destroy()
    if (step === 'stall') return
    if (step === 'pass') {
      void fetch(`${relay.httpUrl}${req.url}`)
        .then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()))
        .catch(() => res.destroy())
      return
    }
    res.writeHead(step.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: step.error }))
  }
  const server: Server = createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  running.push({
    stop: async () => {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    },
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => n }
}

async function relay(): Promise<Relay> {
  const r = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500, onLog: () => {} })
  running.push(r)
  return r
}

describe("an agent's first start against a slow relay", () => {
  it('asks again after a reset, stalled answers and a 503, then starts and joins', async () => {
    const r = await relay()
    const f = await front(r, ['reset', 'stall', 'stall', { status: 503, error: 'draining' }, 'pass'])
    const a = await startMeshAgent({ name: 'patient', relayUrl: f.url, dataDir: tmp(), invite: await r.invite({ role: 'agent' }), syncIntervalMs: 500, startPatience: QUICK })
    running.push(a)
    expect(a.room.room).toBe(r.info().room)
    // Five at least: on a loaded machine the relay's own answer may outlast a round's time-out.
    expect(f.requests()).toBeGreaterThanOrEqual(5)
    expect(await a.join()).toMatchObject({ status: 'member', role: 'agent' })
  }, 60_000)

  it('waits for a relay that is not listening yet (connection refused), then starts', async () => {
    const r = await relay()
    // A port nobody listens on until the front opens it, a second after the agent's first ask.
    const probe = createServer()
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res))
    const port = (probe.address() as AddressInfo).port
    await new Promise((res) => probe.close(() => res(undefined)))
    const late = createServer((req, res) => {
      void fetch(`${r.httpUrl}${req.url}`)
        .then(async (a) => res.writeHead(a.status, { 'content-type': 'application/json' }).end(await a.text()))
        .catch(() => res.destroy())
    })
    const opened = new Promise<void>((res) => setTimeout(() => late.listen(port, '127.0.0.1', res), 1000))
    running.push({ stop: async () => (await opened, late.closeAllConnections(), await new Promise((res) => late.close(() => res(undefined)))) })
    const a = await startMeshAgent({ name: 'early', relayUrl: `http://127.0.0.1:${port}`, dataDir: tmp(), invite: await r.invite({ role: 'agent' }), syncIntervalMs: 500, startPatience: QUICK })
    running.push(a)
    expect(a.room.room).toBe(r.info().room)
  }, 60_000)

  it('fails at once on a refusal, with the reason the relay gave, asking once', async () => {
    const r = await relay()
    const f = await front(r, [{ status: 403, error: 'this relay serves members only' }])
    await expect(startMeshAgent({ name: 'refused', relayUrl: f.url, dataDir: tmp(), syncIntervalMs: 500, startPatience: QUICK })).rejects.toThrow(/HTTP 403: this relay serves members only/)
    expect(f.requests()).toBe(1)
  })

  it('gives up after the bounded time when the relay never answers, saying so', async () => {
    const r = await relay()
    const f = await front(r, ['stall'])
    const t0 = Date.now()
    const patience = { ...QUICK, totalMs: 4000 }
    await expect(startMeshAgent({ name: 'gave-up', relayUrl: f.url, dataDir: tmp(), syncIntervalMs: 500, startPatience: patience })).rejects.toThrow(/giving up/)
    const took = Date.now() - t0
    expect(took).toBeGreaterThan(2000)
    // Well short of the 60 s a real start allows: the bound is the one given.
    expect(took).toBeLessThan(patience.totalMs + 10_000)
    expect(f.requests()).toBeGreaterThanOrEqual(3)
  })

  it('keeps to its bound when several relays are listed and none answers', async () => {
    // Targets are asked in turn: without the deadline, each of three stalled relays took a whole time-out.
    const stalled = await Promise.all([0, 1, 2].map(async () => {
      const server = createServer(() => {})
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', res))
      running.push({ stop: async () => (server.closeAllConnections(), await new Promise((res) => server.close(() => res(undefined)))) })
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    }))
    const t0 = Date.now()
    const patience = { totalMs: 3000, firstTryMs: 2500, maxTryMs: 2500, firstPauseMs: 50, maxPauseMs: 50 }
    await expect(resolveRoomPatiently(stalled, patience)).rejects.toThrow(/giving up/)
    // The last request may take its one-second floor past the bound; three time-outs would be 7.5 s.
    expect(Date.now() - t0).toBeLessThan(patience.totalMs + 2500)
  })
})
