/**
 * The realistic room's reviewer tabs: Chromium on the built app, each tab joined as a reviewer
 * (reloaded as a reviewer would when the app could not reach a busy relay), then left on one of
 * the views, with every long task of its main thread recorded from the first script on.
 */
import { chmodSync, createWriteStream, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { launchChromium, waitHttp } from '../web-app'

/** Installed before any page script: every long task of the document, as [wall start, duration]. */
const OBSERVE = `(() => {
  const tasks = (window.__longTasks = [])
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push([performance.timeOrigin + e.startTime, e.duration]) }).observe({ type: 'longtask', buffered: true })
  } catch {}
})()`

export const VIEWS = ['/inbox', '/graph', '/sessions']

export interface OpenTabsOptions {
  /** The web app's base URL. */
  web: string
  reviewerInvite: string
  count: number
  /** The run's directory: tabs' console logs and failure screenshots go there. */
  dir: string
  /** Run the whole browser (every process it starts) at this nice value; 0 or absent: this process's own. */
  nice?: number
  /** The nice value of the browser's scheduling group (its session's autogroup); 0 when absent. */
  groupNice?: number
  label: string
  log: (line: string) => void
}

export interface OpenTabs {
  browser: Browser
  pages: Page[]
  /** Reloads a tab needed before it joined. */
  retries: number
}

/**
 * Launches Chromium through `nice`: a wrapper script as the executable, so the browser process
 * and every renderer and helper it forks start at the lower priority (a process inherits its
 * parent's nice value; lowering them after launch would miss those forked later). Chromium sets
 * its own threads' priorities — the browser's and GPU process's main threads and every process's
 * display-critical threads at nice -8, renderers at 0 or 5 — and as root it may raise them past
 * what it inherited; so for root the wrapper also drops the capability to raise a priority
 * (CAP_SYS_NICE, from the bounding set), and the whole browser stays at `nice` or below.
 * Playwright starts the browser in a session of its own, and with the kernel's autogrouping a
 * session is a scheduling group: a thread's nice value then ranks it only against the group's
 * other threads, while the group competes with every other group (the relay's among them) at
 * the group's own nice value, 0 unless set: at `nice` alone the whole browser weighs as much
 * as one process at nice 0. With `groupNice` the wrapper also sets its group's value
 * (/proc/self/autogroup; an unprivileged write is refused within 100 ms of another anywhere on
 * the machine, hence the retries), and the browser then takes what every group above it leaves.
 */
async function launch(dir: string, nice: number | undefined, groupNice = 0): Promise<Browser> {
  if (!nice && !groupNice) return launchChromium()
  const wrapper = join(dir, 'chromium-niced.sh')
  writeFileSync(wrapper, nicedScript(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', nice ?? 0, groupNice, process.getuid?.() === 0))
  chmodSync(wrapper, 0o755)
  return launchChromium(wrapper)
}

/** The wrapper `launch` runs `real` through: its session's group at `groupNice`, then `real` at `nice`, unable to raise itself when `asRoot`. */
export function nicedScript(real: string, nice: number, groupNice: number, asRoot: boolean): string {
  const noRaise = asRoot ? 'setpriv --bounding-set -sys_nice ' : ''
  const group = groupNice > 0 ? `for i in 1 2 3 4 5 6 7 8 9 10; do (echo ${groupNice} > /proc/self/autogroup) 2>/dev/null && break; sleep 0.2; done\n` : ''
  return `#!/bin/sh\n${group}exec ${noRaise}nice -n ${nice} ${JSON.stringify(real)} "$@"\n`
}

/** Opens `count` reviewer tabs; see the module comment. */
export async function openTabs(o: OpenTabsOptions): Promise<OpenTabs> {
  await waitHttp(`${o.web}/peers`)
  const browser = await launch(o.dir, o.nice, o.groupNice)
  const pages: Page[] = []
  let retries = 0
  try {
    for (let i = 0; i < o.count; i++) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
      await page.addInitScript(OBSERVE)
      const consoleLog = createWriteStream(join(o.dir, `tab-${i}.console.log`))
      page.on('console', (m) => consoleLog.write(`${m.type()} ${m.text()}\n`))
      // An open room (the demo's) makes every tab a reviewer by itself; the invite then finds it already a member.
      const joined = page.getByTestId('join-status').and(page.locator('[data-role="reviewer"]').or(page.getByText('already a member')))
      // The app's /api/room gives up after 3 s and the tab does not retry (it shows the banner):
      // a busy relay at start-up needs a reload, as a reviewer would do.
      const failed = page.getByTestId('banner-error')
      for (let attempt = 1; ; attempt++) {
        await page.goto(`${o.web}/join#invite=${o.reviewerInvite}`)
        const outcome = await Promise.race([joined.waitFor({ timeout: 300_000 }).then(() => 'joined'), failed.waitFor({ timeout: 300_000 }).then(() => 'failed')]).catch(() => 'timeout')
        if (outcome === 'joined') break
        const status = await page.getByTestId('join-status').or(failed).first().textContent({ timeout: 1000 }).catch(() => null)
        if (attempt >= 10 || outcome === 'timeout') {
          await page.screenshot({ path: join(o.dir, `tab-${i}.png`) }).catch(() => {})
          throw new Error(`tab ${i} did not join as a reviewer after ${attempt} attempts (${status ?? 'no status shown'})`)
        }
        retries++
        const why = await fetch(`${o.web}/api/room`).then((r) => r.text(), (e: Error) => e.message)
        o.log(`${o.label}: tab ${i} could not join (${status}; the app's /api/room now says ${why.slice(0, 200)}); reloading in ${attempt} s`)
        await new Promise((r) => setTimeout(r, attempt * 1000))
      }
      await page.goto(`${o.web}${VIEWS[i % VIEWS.length]}`)
      pages.push(page)
    }
  } catch (err) {
    await browser.close().catch(() => {})
    throw err
  }
  o.log(`${o.label}: ${pages.length} reviewer tabs open`)
  return { browser, pages, retries }
}

/** Each tab's longest main-thread task between two wall times, and how many exceeded 200 ms. */
export async function longTasks(pages: readonly Page[], from: number, to: number): Promise<Array<{ view: string; longest: number; over200: number; longTasks: number }>> {
  return Promise.all(
    pages.map(async (page, i) => {
      const tasks = (await page.evaluate(() => (window as unknown as { __longTasks: number[][] }).__longTasks)).filter(([s]) => s >= from && s <= to).map(([, d]) => d)
      return { view: VIEWS[i % VIEWS.length], longest: Math.round(Math.max(0, ...tasks)), over200: tasks.filter((d) => d > 200).length, longTasks: tasks.length }
    }),
  )
}

/**
 * Starts a V8 CPU profile of each tab's main thread (1 ms samples, through the DevTools
 * protocol); `stop` writes them as `<prefix>.<view>.cpuprofile`, or `<prefix>.<i>.<view>.cpuprofile`
 * with more tabs than views (profile.ts reads them), and
 * returns the paths. Profiling slows a tab: compare profiled runs only with profiled runs.
 */
export async function profileTabs(pages: readonly Page[], prefix: string): Promise<{ stop(): Promise<string[]> }> {
  const sessions = await Promise.all(
    pages.map(async (page) => {
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
      await cdp.send('Profiler.start')
      return cdp
    }),
  )
  return {
    async stop() {
      return Promise.all(
        sessions.map(async (cdp, i) => {
          const { profile } = await cdp.send('Profiler.stop')
          // The view names the file; past one tab per view, the tab's index keeps them apart.
          const view = VIEWS[i % VIEWS.length].slice(1)
          const path = pages.length > VIEWS.length ? `${prefix}.${i}.${view}.cpuprofile` : `${prefix}.${view}.cpuprofile`
          writeFileSync(path, JSON.stringify(profile))
          return path
        }),
      )
    },
  }
}
