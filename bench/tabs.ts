/**
 * Tab → tab delivery latency (issue 8, item 1): two Chromium tabs of the built app on a direct
 * WebRTC link; tab A authors an event (sign, store in IndexedDB, publish), tab B has it folded.
 * Baseline in the same run: a raw RTCDataChannel ping between the same two pages (one way =
 * RTT / 2). Wall clock `performance.timeOrigin + performance.now()` is comparable across pages.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { startRelay } from '../lib/node/relay'
import { pct } from './mesh'
import type { BenchOptions, BenchResult } from './types'

const root = resolve(import.meta.dirname, '..')
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns']

/** Runs the tab → tab benchmark; builds the app first if there is no build yet. */
export async function benchTabs(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.quick ? 15 : 100
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-tabs-'))
  const relay = await startRelay({ dataDir: dir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 1000 })
  let web: ChildProcess | undefined
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS })
  try {
    if (!existsSync(join(root, '.next', 'BUILD_ID'))) spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } })
    const port = await freePort()
    web = spawn(process.execPath, [nextBin, 'start', '--hostname', '127.0.0.1', '--port', String(port)], { cwd: root, stdio: 'ignore', env: { ...process.env, CHORUS_RELAY_HTTP: relay.httpUrl } })
    const base = `http://127.0.0.1:${port}`
    await waitHttp(`${base}/peers`)
    const invite = await relay.invite({ role: 'agent', maxUses: 5 })
    const [a, b] = await Promise.all([0, 1].map(async () => (await browser.newContext()).newPage()))
    for (const p of [a, b]) {
      await p.goto(`${base}/join#invite=${invite}`)
      await p.getByTestId('join-status').and(p.locator('[data-role="agent"]')).waitFor({ timeout: 60_000 })
    }
    const idA = await a.evaluate(() => window.chorus!.store.getState().mesh!.peerId)
    await waitFor(b, (id) => window.chorus!.store.getState().peers.some((p) => p.peerId === id && p.transport === 'webrtc'), idA, 60_000)

    const rtt = await dataChannelPings(a, b, n)
    await b.evaluate(() => {
      const w = window as unknown as { arrivals: Record<string, number> }
      w.arrivals = {}
      window.chorus!.room.subscribe((s) => {
        for (const id of s.state?.tasks.keys() ?? []) w.arrivals[id] ??= performance.timeOrigin + performance.now()
      })
    })
    const latencies: number[] = []
    for (let i = 0; i < n; i++) {
      const id = `tab-bench-${i}`
      const sent = await a.evaluate(async (taskId) => {
        const t = performance.timeOrigin + performance.now()
        await window.chorus!.store.getState().mesh!.author('task.claimed', { taskId, projectId: 'bench', repository: 'bench', title: `Bench ${taskId}`, description: '' })
        return t
      }, id)
      await waitFor(b, (tid) => (window as unknown as { arrivals: Record<string, number> }).arrivals[tid] != null, id, 20_000)
      latencies.push((await b.evaluate((tid) => (window as unknown as { arrivals: Record<string, number> }).arrivals[tid], id)) - sent)
    }
    const oneWay = rtt.map((r) => r / 2)
    const note = `${n} events, tab A author (sign + IndexedDB + publish) → folded in tab B, direct WebRTC; min ${Math.round(Math.min(...latencies) * 10) / 10} ms; baseline: raw RTCDataChannel ping between the same pages, one way = RTT/2 (${n} pings)`
    const result = (p: number, goal: number): BenchResult => {
      const value = Math.round(pct(latencies, p / 100) * 10) / 10
      const baseline = Math.max(0.01, Math.round(pct(oneWay, p / 100) * 100) / 100)
      return { name: `tabs.delivery.p${p}`, value, unit: 'ms', baseline: { name: 'RTCDataChannel one-way (RTT/2)', value: baseline, unit: 'ms' }, ratio: Math.round((value / baseline) * 10) / 10, goal: `≤ ${goal}× (ratio = delivery / raw channel, lower is better)`, met: value / baseline <= goal, note }
    }
    return [result(50, 2), result(99, 4)]
  } finally {
    await browser.close()
    web?.kill('SIGTERM')
    await relay.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Ping-pong over a raw RTCDataChannel between the two pages, signalled by this process. */
async function dataChannelPings(a: Page, b: Page, n: number): Promise<number[]> {
  const setup = `(() => { const w = window; w.pc = new RTCPeerConnection({ iceServers: [] }); w.gathered = () => new Promise((r) => { if (w.pc.iceGatheringState === 'complete') r(); else w.pc.addEventListener('icegatheringstatechange', () => w.pc.iceGatheringState === 'complete' && r()) }) })()`
  await a.evaluate(setup)
  await b.evaluate(setup)
  const offer = await a.evaluate(async () => {
    const w = window as unknown as { pc: RTCPeerConnection; dc: RTCDataChannel; gathered: () => Promise<void> }
    w.dc = w.pc.createDataChannel('ping')
    await w.pc.setLocalDescription(await w.pc.createOffer())
    await w.gathered()
    return w.pc.localDescription!.toJSON()
  })
  const answer = await b.evaluate(async (o) => {
    const w = window as unknown as { pc: RTCPeerConnection; gathered: () => Promise<void> }
    w.pc.ondatachannel = (e) => (e.channel.onmessage = (m) => e.channel.send(m.data))
    await w.pc.setRemoteDescription(o)
    await w.pc.setLocalDescription(await w.pc.createAnswer())
    await w.gathered()
    return w.pc.localDescription!.toJSON()
  }, offer)
  return a.evaluate(async ({ ans, count }) => {
    const w = window as unknown as { pc: RTCPeerConnection; dc: RTCDataChannel }
    await w.pc.setRemoteDescription(ans)
    if (w.dc.readyState !== 'open') await new Promise((r) => (w.dc.onopen = r))
    const out: number[] = []
    for (let i = 0; i < count + 5; i++) {
      const t = performance.now()
      await new Promise<void>((r) => {
        w.dc.onmessage = () => r()
        w.dc.send(`ping ${i}`)
      })
      if (i >= 5) out.push(performance.now() - t) // the first few warm the path up
    }
    return out
  }, { ans: answer, count: n })
}

async function waitFor(page: Page, fn: (arg: string) => boolean, arg: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 'raf' })
}

async function waitHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer`)
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => res(p))
    })
  })
}
