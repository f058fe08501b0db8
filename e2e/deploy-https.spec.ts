/**
 * Off localhost, as an operator deploys it (docs/deploy.md): the app over https through Caddy
 * (the shipped deploy/Caddyfile, Caddy's internal CA standing in for a public one), the relay
 * reached through wss behind the same proxy under the /relay/ path prefix, invites made with
 * `chorus-mesh invite` through that prefix; two tabs connect directly over WebRTC and an agent
 * process joins with its invite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { E2E } from './fixtures/ports'
import { startRelayProcess, tempDataDir, type RelayProc } from './fixtures/processes'
import { requireTool } from '../lib/node/testing/tools'

const root = resolve(import.meta.dirname, '..')
const cli = join(root, 'bin', 'chorus-mesh.js')
let relay: RelayProc | undefined
let caddy: ChildProcess | undefined
let agent: ChildProcess | undefined
let data: ReturnType<typeof tempDataDir>
let caddyDir: string

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => res(p))
    })
  })
}

/** GET over https trusting only Caddy's local CA; resolves to the status (0 when unreachable). */
function httpsStatus(url: string, ca: Buffer): Promise<number> {
  return new Promise((done) => {
    const req = request(url, { ca, timeout: 3000 }, (res) => {
      res.resume()
      done(res.statusCode ?? 0)
    })
    req.on('error', () => done(0))
    req.end()
  })
}

test.afterEach(async ({ browser }) => {
  // Tabs left open keep their libp2p nodes redialling through every later test of the worker.
  await Promise.all(browser.contexts().map((c) => c.close()))
  agent?.kill('SIGKILL')
  caddy?.kill('SIGTERM')
  await relay?.kill()
  relay = undefined
  data?.cleanup()
  if (caddyDir) rmSync(caddyDir, { recursive: true, force: true })
})

test('the app over https through Caddy, the relay through wss under /relay/: tabs meet over WebRTC and an agent joins with a CLI-made invite', async ({ browser }) => {
  const caddyBin = requireTool('caddy')
  const [https, http] = [await freePort(), await freePort()]
  const site = `https://localhost:${https}`
  data = tempDataDir()
  relay = await startRelayProcess(data.dir, {}, ['--announce', `/dns4/localhost/tcp/${https}/tls/ws/http-path/relay%2Fws`, '--public-url', `${site}/`])

  caddyDir = mkdtempSync(join(tmpdir(), 'chorus-caddy-'))
  caddy = spawn(caddyBin, ['run', '--config', join(root, 'deploy', 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      HOME: caddyDir,
      CHORUS_CADDY_GLOBAL: `admin off\nskip_install_trust\nstorage file_system ${caddyDir}/data\nhttp_port ${http}\nhttps_port ${https}`,
      CHORUS_SITE: site,
      CHORUS_CADDY_TLS: 'tls internal',
      CHORUS_WEB: `127.0.0.1:${E2E.webPort}`,
      CHORUS_RELAY_WS: `127.0.0.1:${E2E.relayPort}`,
      CHORUS_RELAY_API: `127.0.0.1:${E2E.relayHttpPort}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let caddyLog = ''
  caddy.stderr?.on('data', (d) => (caddyLog += d))
  const rootCa = join(caddyDir, 'data', 'pki', 'authorities', 'local', 'root.crt')
  await expect.poll(async () => existsSync(rootCa) && (await httpsStatus(`${site}/relay/readyz`, readFileSync(rootCa))), { timeout: 60_000, message: `Caddy serving the relay:\n${caddyLog}` }).toBe(200)

  // Invites through the proxy's prefix, with the relay's admin token from its data directory.
  const cliEnv = { ...process.env, NODE_EXTRA_CA_CERTS: rootCa, CHORUS_ADMIN_TOKEN: '' }
  const makeInvite = (role: string) => {
    const r = spawnSync(process.execPath, [cli, 'invite', '--role', role, '--uses', '2', '--relay', `${site}/relay`, '--data', data.dir, '--json'], { env: cliEnv, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    return JSON.parse(r.stdout) as { invite: string; link: string }
  }
  const reviewer = makeInvite('reviewer')
  expect(reviewer.link).toBe(`${site}/join#invite=${reviewer.invite}`)
  const agentInvite = makeInvite('agent')

  const tab = async () => new PeersPage(await (await browser.newContext({ baseURL: site, ignoreHTTPSErrors: true })).newPage())
  const a = await tab()
  const b = await tab()
  await a.join(reviewer.invite, 'reviewer')
  await b.join(reviewer.invite, 'reviewer')
  expect(a.page.url()).toMatch(new RegExp(`^${site}/`))
  expect(await a.page.evaluate(() => window.isSecureContext)).toBe(true)
  const idA = await a.selfPeerId()
  const idB = await b.selfPeerId()
  await a.expectPeerNamed('relay', { status: 'alive', kind: 'relay', transport: 'websocket' })
  await a.expectPeer(idB, { status: 'alive', transport: 'webrtc', kind: 'human' })
  await b.expectPeer(idA, { status: 'alive', transport: 'webrtc', kind: 'human' })

  agent = spawn(process.execPath, [cli, 'agent', '--name', 'https-agent', '--relay', `${site}/relay`, '--invite', agentInvite.invite, '--data', data.dir, '--json'], { env: cliEnv, stdio: 'ignore' })
  await a.expectPeerNamed('https-agent', { status: 'alive', kind: 'agent' })
  await b.expectPeerNamed('https-agent', { status: 'alive', kind: 'agent' })
})
