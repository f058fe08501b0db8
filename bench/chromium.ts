/**
 * Chromium figures without the Next app: bench/browser/entry.ts bundled with
 * esbuild, served from 127.0.0.1 (a secure context, so WebCrypto Ed25519 is there), run in
 * system Chromium through playwright-core. Ingest is the CPU time of all Chromium processes
 * (all threads: IndexedDB's work happens in the browser process) around each step, interleaved
 * with its raw-verify baseline, wall time in the note; memory is V8 heap usage (CDP) after
 * forced GC.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { CDPSession, Page } from 'playwright-core'
import type { BrowserBench } from './browser/entry'
import { lateRoomFile } from './browser/late-room'
import { loadRoom, round } from './room'
import type { BenchOptions, BenchResult } from './types'
import { launchProfile } from './web-app'

async function bundle(): Promise<string> {
  const entry = fileURLToPath(new URL('./browser/entry.ts', import.meta.url))
  const r = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, minify: true, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'error' })
  return r.outputFiles[0].text
}

async function serve(js: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/bench.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    if (url.pathname === '/events.bin' || url.pathname === '/late.bin') {
      const n = Number(url.searchParams.get('n'))
      const file = url.pathname === '/late.bin' ? lateRoomFile(n) : Promise.resolve(join(tmpdir(), `chorus-bench-room-v1-${n}.bin`))
      return void file.then(readFile).then(
        (b) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(b),
        () => res.writeHead(404).end(),
      )
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/bench.js"></script>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return server
}

/** Opens the bench page on `n` events; with `late`, also on the same number as a tab receives them from gossip. */
async function open(page: Page, base: string, n: number, late = false): Promise<void> {
  await Promise.all([loadRoom(n), late ? lateRoomFile(n) : undefined])
  await page.goto(`${base}/?n=${n}${late ? '&late' : ''}`)
  await page.waitForFunction(() => (globalThis as { chorusBench?: unknown }).chorusBench != null, undefined, { timeout: 120_000 })
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** CPU ms (user + system, all threads) of every Chromium process, from /proc (10 ms ticks). */
async function chromiumCpuMs(cdp: CDPSession): Promise<number> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { id: number }[] }
  let ticks = 0
  for (const { id } of processInfo) {
    const stat = await readFile(`/proc/${id}/stat`, 'utf8').catch(() => '')
    // Fields after the command (which may hold spaces) start after the last ')': utime, stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0)
  }
  return ticks * 10
}

/** Runs the Chromium benchmarks. */
export async function benchChromium({ quick }: BenchOptions): Promise<BenchResult[]> {
  const server = await serve(await bundle())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const profile = await launchProfile()
  const { context } = profile
  const browser = context.browser()!
  try {
    const out: BenchResult[] = []
    const page = await context.newPage()
    const n = quick ? 1000 : 5000
    await open(page, base, n, true)
    const processes = await browser.newBrowserCDPSession()
    type Bench = { chorusBench: BrowserBench }
    const steps = await page.evaluate(() => (globalThis as unknown as Bench).chorusBench.steps)
    const s: Record<string, { cpu: number; wall: number }[]> = Object.fromEntries(steps.map((k) => [k, []]))
    for (let rep = 0; rep < (quick ? 1 : 5); rep++) {
      for (const step of steps) {
        const c = await chromiumCpuMs(processes)
        const wall = await page.evaluate((k) => (globalThis as unknown as Bench).chorusBench.run(k), step)
        s[step].push({ cpu: (await chromiumCpuMs(processes)) - c, wall })
      }
    }
    const rate = (k: string, f: 'cpu' | 'wall' = 'cpu') => n / (median(s[k].map((x) => x[f])) / 1000)
    const verify = { name: 'raw Ed25519 verify (WebCrypto, key imported once), same events, same tab', value: round(rate('verify'), 0), unit: 'events/CPU s' }
    const labels: Record<string, string> = {
      idb: 'ReplicaHost.ingest, IndexedDB store in a profile on disk (what a tab runs: received events written relaxed, ADR 0067, one slab record per write, ADR 0069; ids hashed with hash-wasm\'s SHA-256 as a tab\'s RoomPeer does, ADR 0091)',
      'idb-strict': 'breakdown: as ingest.chromium.idb with every write strict (as received events were written before ADR 0067)',
      memory: 'ReplicaHost.ingest, memory store (ids hashed as in a tab)',
      replica: 'breakdown: Replica.add alone',
      log: 'breakdown: EventLog.add alone (decode + verify + admission, no fold)',
      gossip: "breakdown: a tab's work per event gossip brings it, outside gossipsub and rendering: message id, then ReplicaHost.ingest of that one event (memory store), in the order a tab receives a room of 16 concurrent agents (bench/browser/late-room.ts: late and early arrivals), state and summary root read every second event",
    }
    // What the goal leaves once the events are decoded, verified and stored: the fold and the host free.
    const store = Math.max(0, 1 / rate('idb') - 1 / rate('memory'))
    const reach = 1 / (1 / rate('log') + store)
    const ceiling = `ceiling with the fold and the host free: EventLog.add (decode + verify + admission, ${round(rate('log'), 0)}/CPU s) + the IndexedDB store's own cost (this row's CPU per event − the memory host's: ${round(store * 1e6, 0)} µs) = ${round(reach, 0)}/CPU s, ${round(reach / rate('verify'), 2)}× raw verify`
    for (const k of ['idb', 'idb-strict', 'memory', 'replica', 'log', 'gossip']) {
      const ratio = round(rate(k) / rate('verify'), 2)
      const wall = `wall ${round(rate(k, 'wall'), 0)}/s vs verify wall ${round(rate('verify', 'wall'), 0)}/s (${round(rate(k, 'wall') / rate('verify', 'wall'), 2)}×)`
      const libp2p = `${round(rate(k) / rate('libp2p'), 2)}× libp2p crypto verify (${round(rate('libp2p'), 0)}/CPU s, imports the key per call)`
      // The goal's baseline stays raw verify alone; verify + a plain IndexedDB put of the same events is given beside it.
      const withPut = 1 / (1 / rate('verify') + 1 / rate('put'))
      const put = k === 'idb' || k === 'idb-strict' ? `; ${round(rate(k) / withPut, 2)}× raw verify + a plain IndexedDB put of the same events (${round(withPut, 0)}/CPU s; the put alone ${round(rate('put'), 0)}/CPU s: one record per event, one relaxed transaction per 256)` : ''
      const bound = k === 'idb' ? `; ${ceiling}` : ''
      out.push({ name: `ingest.chromium.${k}`, value: round(rate(k), 0), unit: 'events/CPU s', baseline: verify, ratio, ...(k === 'idb' || k === 'memory' ? { goal: '≥ 0.6 of raw verify', met: ratio >= 0.6 } : {}), note: `${labels[k]}; CPU of all Chromium processes; ${wall}; ${libp2p}${put}${bound}; median of ${s[k].length} interleaved reps, ${n} events` })
    }
    await page.close()
    const m = quick ? 1000 : 50_000
    const tab = await context.newPage()
    await open(tab, base, m)
    const cdp = await tab.context().newCDPSession(tab)
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
      return u.usedSize + (u.backingStorageSize ?? 0)
    }
    const before = await heap()
    const raw = await tab.evaluate(() => (globalThis as unknown as { chorusBench: BrowserBench }).chorusBench.retain())
    const used = (await heap()) - before
    const ratio = round(used / raw, 2)
    out.push({ name: `memory.chromium.replica@${quick ? '1k' : '50k'}`, value: round(used / 2 ** 20, 1), unit: 'MiB', baseline: { name: 'raw event bytes', value: round(raw / 2 ** 20, 1), unit: 'MiB' }, ratio, goal: '≤ 2× raw bytes (ratio = heap / bytes, lower is better)', met: ratio <= 2, note: `core Replica in a tab (fresh copies of ${m} events), V8 usedSize (+ backing stores when CDP reports them) after forced GC` })
    return out
  } finally {
    await profile.close()
    server.close()
  }
}
