/**
 * A tab that reaches a relay serving another room says so on screen: this browser cached the
 * room's relay list while a second relay served it, that relay was later restarted with an
 * empty data directory and no `--join` (so it created a room of its own), and the tab — still
 * working through its first relay — shows a banner naming the relay and both room ids.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { startRelayProcess, tempDataDir, type Proc, type RelayProc } from './fixtures/processes'

const cli = resolve(import.meta.dirname, '..', 'bin', 'chorus-mesh.js')

let home: RelayProc | undefined
let stray: Proc | undefined
const dirs: Array<ReturnType<typeof tempDataDir>> = []

test.afterEach(async ({ browser }) => {
  await Promise.all(browser.contexts().map((c) => c.close()))
  await stray?.kill()
  await home?.kill()
  home = stray = undefined
  for (const d of dirs.splice(0)) d.cleanup()
})

/** A loopback port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
}

/** A second relay (its own room) on free ports; resolves with its `/api/room` answer. */
async function startStrayRelay(dir: string): Promise<{ proc: Proc; room: string; relays: unknown[] }> {
  const [port, http] = [await freePort(), await freePort()]
  const child = spawn(process.execPath, [cli, 'relay', '--data', dir, '--port', String(port), '--http-port', String(http), '--drain', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const proc: Proc = {
    child,
    output: () => out,
    send: () => undefined,
    kill: () =>
      new Promise<void>((done) => {
        if (child.exitCode != null || child.signalCode != null) return done()
        child.once('exit', () => done())
        child.kill('SIGKILL')
      }),
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode != null) throw new Error(`the second relay exited early:\n${out}`)
    const info = await fetch(`http://127.0.0.1:${http}/api/room`).then((r) => (r.ok ? r.json() : null), () => null)
    if (info?.room && Array.isArray(info.relays) && info.relays.length > 0) return { proc, room: info.room, relays: info.relays }
    await new Promise((r) => setTimeout(r, 200))
  }
  await proc.kill()
  throw new Error(`the second relay did not answer /api/room within 30 s:\n${out}`)
}

test('a tab whose cached relay now serves another room shows a banner naming both room ids, and keeps working', async ({ browser }) => {
  dirs.push(tempDataDir(), tempDataDir())
  home = await startRelayProcess(dirs[0].dir)
  const other = await startStrayRelay(dirs[1].dir)
  stray = other.proc

  const tab = new PeersPage(await (await browser.newContext()).newPage())
  await tab.goto()
  await tab.expectRelay('connected')
  const ours = await tab.page.evaluate(() => window.chorus!.store.getState().room!.id)
  expect(ours).not.toBe(other.room)
  await expect(tab.page.getByTestId('banner-wrong-room')).toHaveCount(0)

  // The cached list, as this browser kept it while the second relay still served our room.
  await tab.page.evaluate(([key, relays]) => localStorage.setItem(key as string, JSON.stringify(relays)), [`chorus-mesh:relays:${ours}`, other.relays])
  await tab.page.reload()

  const banner = tab.page.getByRole('alert').filter({ hasText: 'Relay serving another room' })
  await expect(banner).toBeVisible({ timeout: 45_000 })
  await expect(banner).toContainText(other.room)
  await expect(banner).toContainText(ours)
  await expect(banner.getByTestId('wrong-room-theirs')).toHaveText(other.room)
  await expect(banner.getByTestId('wrong-room-ours')).toHaveText(ours)
  // The tab did not follow the stray relay: same room, still connected through its own relay.
  await tab.expectRelay('connected')
  expect(await tab.page.evaluate(() => window.chorus!.store.getState().room!.id)).toBe(ours)
})
