/**
 * The built web app and Chromium for the benchmarks that run in tabs (tabs, ui): the same
 * production build `npm start` serves, rebuilt first when sources are newer than it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext } from '@playwright/test'
import { buildIsStale } from '../lib/node/start'

const root = resolve(import.meta.dirname, '..')
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')
/** The flags Chromium needs on these machines (see playwright.config.ts), WebRTC on loopback included. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns']

/** System Chromium (CHROMIUM_PATH overrides, `executablePath` over both), headless, fresh profile per context. */
export const launchChromium = (executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<Browser> => chromium.launch({ executablePath, args: ARGS })

/**
 * System Chromium with a fresh profile on disk, as a user's browser has: IndexedDB is LevelDB
 * files with real writes and fsyncs there, while a context of `launchChromium` is incognito and
 * keeps IndexedDB in memory. `close` ends the browser and removes the profile.
 */
export async function launchProfile(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-profile-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  const context = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS }).catch((e: unknown) => {
    remove()
    throw e
  })
  return { context, close: () => context.close().finally(remove) }
}

/** A running `next start` of the production build. */
export interface WebApp {
  readonly base: string
  stop(): void
}

/** Builds the app (`next build`) when sources are newer than `.next`. */
export function ensureBuilt(): void {
  if (!buildIsStale()) return
  const b = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } })
  if (b.status !== 0) throw new Error('next build failed')
}

/** Builds the app when sources are newer than `.next`, then serves it on a free loopback port. */
export async function startWebApp(relayHttpUrl: string): Promise<WebApp> {
  ensureBuilt()
  const port = await freePort()
  const web = spawn(process.execPath, [nextBin, 'start', '--hostname', '127.0.0.1', '--port', String(port)], { cwd: root, stdio: 'ignore', env: { ...process.env, CHORUS_RELAY_HTTP: relayHttpUrl } })
  const base = `http://127.0.0.1:${port}`
  try {
    await waitHttp(`${base}/peers`)
  } catch (err) {
    web.kill('SIGTERM')
    throw err
  }
  return { base, stop: () => void web.kill('SIGTERM') }
}

/** Resolves once `url` answers 2xx; throws after a minute. */
export async function waitHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer`)
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => res(p))
    })
  })
}
