/**
 * Several tabs of one browser profile on one room (Node side of tabs-page.ts): Chromium with a
 * profile on disk, one context, `tabs` pages that share the origin's IndexedDB, each receiving
 * the same events on the same wall-clock schedule. Reports, per tab, what it asked of IndexedDB
 * and the CPU of its renderer, the browser process's CPU (where IndexedDB runs), and a check of
 * the database from a page opened after the tabs closed. A tab can be closed mid-stream: closing
 * the page, as a reviewer closes a tab, with no chance to finish what it was writing.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { loadRoom } from '../room'
import { launchProfile } from '../web-app'
import type { Check, IdbCounts, RunReport, TabsBench } from './tabs-page'

export interface TabsRunOptions {
  /** Pages in the one context. */
  tabs: number
  /** Events of the bench room (bench/room.ts) to receive. */
  events: number
  /** A burst of this many events every `intervalMs`. */
  burst: number
  intervalMs: number
  /** Close this tab (index) this long after the stream starts. */
  close?: { tab: number; afterMs: number }
  /** The loopback port to serve the pages on (0: any free one). */
  port?: number
  /** How long a tab that does not write the room waits for the writer (ms; the store's default when absent). */
  followMs?: number
}

export interface TabReport {
  run?: RunReport
  counts?: IdbCounts
  /** The page's main-thread task time over the stream (CDP Performance.getMetrics). */
  taskMs?: number
  closed: boolean
  /** What the tab had asked of IndexedDB when the closed tab closed. */
  countsAtClose?: IdbCounts
}

export interface TabsRun {
  tabs: TabReport[]
  /**
   * CPU ms over the stream of every Chromium process, of the renderers (Chromium may put pages
   * of one site in one renderer, so not per page) and of the browser process (IndexedDB's).
   */
  chromiumCpuMs: number
  rendererCpuMs: number
  browserCpuMs: number
  /** Ids acknowledged by a tab (its ingest resolved), per tab. */
  acked: string[][]
  check: Check
}

async function bundle(): Promise<string> {
  const entry = fileURLToPath(new URL('./tabs-page.ts', import.meta.url))
  const r = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, minify: true, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'error' })
  return r.outputFiles[0].text
}

async function serve(js: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/tabs.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    if (url.pathname === '/events.bin') {
      return void readFile(join(tmpdir(), `chorus-bench-room-v1-${Number(url.searchParams.get('n'))}.bin`)).then(
        (b) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(b),
        () => res.writeHead(404).end(),
      )
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/tabs.js"></script>')
  })
  await new Promise<void>((r, reject) => server.once('error', reject).listen(port, '127.0.0.1', r))
  return server
}

type Bench = { tabsBench: TabsBench }

/** CPU ms (user + system, all threads) of a process, from /proc (10 ms ticks); 0 once it is gone. */
async function procCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10
}

async function processes(cdp: CDPSession): Promise<{ id: number; type: string }[]> {
  return ((await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { id: number; type: string }[] }).processInfo
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000
}

/** CPU ms of each Chromium process by pid, with its type. */
async function cpuByPid(cdp: CDPSession): Promise<Map<number, { type: string; ms: number }>> {
  return new Map(await Promise.all((await processes(cdp)).map(async (p) => [p.id, { type: p.type, ms: await procCpuMs(p.id) }] as const)))
}

async function openPage(context: BrowserContext, url: string, onAck?: (id: string) => void): Promise<Page> {
  const page = await context.newPage()
  if (onAck) await page.exposeFunction('chorusAck', onAck)
  await page.goto(url)
  await page.waitForFunction(() => (globalThis as { tabsBench?: unknown }).tabsBench != null, undefined, { timeout: 120_000 })
  return page
}

/** Runs `tabs` pages of one profile on one room, then checks the database from a new page. */
export async function runTabs(o: TabsRunOptions): Promise<TabsRun> {
  await loadRoom(o.events)
  const server = await serve(await bundle(), o.port ?? 0)
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?n=${o.events}${o.followMs ? `&follow=${o.followMs}` : ''}`
  const profile = await launchProfile()
  try {
    const { context } = profile
    const browserCdp = await context.browser()!.newBrowserCDPSession()
    const db = `tabs-${Date.now()}`
    const acked: string[][] = Array.from({ length: o.tabs }, () => [])
    const pages: { page: Page; cdp: CDPSession }[] = []
    for (let i = 0; i < o.tabs; i++) {
      const page = await openPage(context, base, o.close?.tab === i ? (id) => void acked[i].push(id) : undefined)
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable')
      pages.push({ page, cdp })
    }
    // The first tab opened receives the room's first event before the others open it: the tab
    // a reviewer opened first, which (with one writer per room) is the one that writes.
    const bench = (i: number) => pages[i].page
    await bench(0).evaluate((name) => (globalThis as unknown as Bench).tabsBench.open(name), db)
    await bench(0).evaluate(() => (globalThis as unknown as Bench).tabsBench.run({ t0: 0, intervalMs: 0, burst: 1, from: 0, to: 1 }))
    for (let i = 1; i < o.tabs; i++) await bench(i).evaluate((name) => (globalThis as unknown as Bench).tabsBench.open(name), db)
    const reports: TabReport[] = pages.map(() => ({ closed: false }))
    const task0 = await Promise.all(pages.map((p) => taskMs(p.cdp)))
    const all0 = await cpuByPid(browserCdp)
    const schedule = { t0: Date.now() + 500, intervalMs: o.intervalMs, burst: o.burst, from: 1, to: o.events }
    let closing: Promise<void> | undefined
    if (o.close) {
      const { tab, afterMs } = o.close
      closing = new Promise((r) => setTimeout(r, 500 + afterMs)).then(async () => {
        for (const [i, p] of pages.entries()) {
          if (i !== tab) reports[i].countsAtClose = await p.page.evaluate(() => (globalThis as unknown as Bench).tabsBench.counts())
        }
        reports[tab].closed = true
        await pages[tab].page.close()
      })
    }
    await Promise.all(
      pages.map(async ({ page }, i) => {
        reports[i].run = await page.evaluate((s) => (globalThis as unknown as Bench).tabsBench.run(s), schedule).catch(() => undefined)
      }),
    )
    await closing
    const all1 = await cpuByPid(browserCdp)
    for (const [i, p] of pages.entries()) {
      if (reports[i].closed) continue
      reports[i].taskMs = (await taskMs(p.cdp)) - task0[i]
      reports[i].counts = await p.page.evaluate(() => (globalThis as unknown as Bench).tabsBench.counts())
      acked[i].push(...(await p.page.evaluate(() => (globalThis as unknown as Bench).tabsBench.takeAcked())))
      await p.page.evaluate(() => (globalThis as unknown as Bench).tabsBench.close())
      await p.page.close()
    }
    const checker = await openPage(context, base)
    const check = await checker.evaluate(([name, n]) => (globalThis as unknown as Bench).tabsBench.check(name, n), [db, o.events] as const)
    await checker.close()
    // A process gone by the end (a closed tab's renderer) is missing from the totals.
    const cpu = { chromiumCpuMs: 0, rendererCpuMs: 0, browserCpuMs: 0 }
    for (const [pid, { type, ms }] of all1) {
      const d = ms - (all0.get(pid)?.ms ?? 0)
      cpu.chromiumCpuMs += d
      if (type === 'renderer') cpu.rendererCpuMs += d
      if (type === 'browser') cpu.browserCpuMs += d
    }
    return { tabs: reports, ...cpu, acked, check }
  } finally {
    await profile.close()
    server.close()
  }
}
