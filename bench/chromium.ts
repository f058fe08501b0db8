/**
 * Chromium figures (issue 8 §2, §7) without the Next app: bench/browser/entry.ts bundled with
 * esbuild, served from 127.0.0.1 (a secure context, so WebCrypto Ed25519 is there), run in
 * system Chromium through playwright-core. Ingest is wall time in the page, interleaved with
 * its raw-verify baseline; memory is V8 heap usage (CDP) after forced GC.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium, type Page } from 'playwright-core'
import type { BrowserBench } from './browser/entry'
import { loadRoom, round } from './room'
import type { BenchOptions, BenchResult } from './types'

async function bundle(): Promise<string> {
  const entry = fileURLToPath(new URL('./browser/entry.ts', import.meta.url))
  const r = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, minify: true, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'error' })
  return r.outputFiles[0].text
}

async function serve(js: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/bench.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    if (url.pathname === '/events.bin') {
      const n = Number(url.searchParams.get('n'))
      return void readFile(join(tmpdir(), `chorus-bench-room-v1-${n}.bin`)).then(
        (b) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(b),
        () => res.writeHead(404).end(),
      )
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/bench.js"></script>')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return server
}

async function open(page: Page, base: string, n: number): Promise<void> {
  await loadRoom(n)
  await page.goto(`${base}/?n=${n}`)
  await page.waitForFunction(() => (globalThis as { chorusBench?: unknown }).chorusBench != null, undefined, { timeout: 120_000 })
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Runs the Chromium benchmarks. */
export async function benchChromium({ quick }: BenchOptions): Promise<BenchResult[]> {
  const server = await serve(await bundle())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
  try {
    const out: BenchResult[] = []
    const page = await browser.newPage()
    const n = quick ? 1000 : 5000
    await open(page, base, n)
    const s = await page.evaluate((reps) => (globalThis as unknown as { chorusBench: BrowserBench }).chorusBench.ingest(reps), quick ? 1 : 3)
    const rate = (k: string) => n / (median(s[k]) / 1000)
    const verify = { name: 'raw Ed25519 verify (libp2p crypto → WebCrypto), same events, same tab', value: round(rate('verify'), 0), unit: 'events/s' }
    const labels: Record<string, string> = { idb: 'ReplicaHost.ingest, IndexedDB store (what a tab runs)', memory: 'ReplicaHost.ingest, memory store', replica: 'breakdown: Replica.add alone' }
    for (const k of ['idb', 'memory', 'replica']) {
      const ratio = round(rate(k) / rate('verify'), 2)
      out.push({ name: `ingest.chromium.${k}`, value: round(rate(k), 0), unit: 'events/s', baseline: verify, ratio, ...(k === 'replica' ? {} : { goal: '≥ 0.6 of raw verify', met: ratio >= 0.6 }), note: `${labels[k]}; wall time in the page, median of ${s[k].length} interleaved reps, ${n} events` })
    }
    await page.close()
    const m = quick ? 1000 : 50_000
    const tab = await browser.newPage()
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
    await browser.close()
    server.close()
  }
}
