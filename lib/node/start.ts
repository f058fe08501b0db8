/**
 * `npm start`: a relay in this process and the Next.js app as a child process. The production
 * build is made on first run (and again when sources are newer than it, or the path prefix
 * changed), since a built app loads in a second where `next dev` compiles each page on first
 * visit. Links are printed for the public URL when there is one, else for an address other
 * machines can reach.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join, resolve } from 'node:path'
import { logger } from './agent/command'
import { startDemoProcess, type DemoProcess } from './demo/child'
import { joinLink } from './invites'
import { createLogger, type LogLevel } from './log'
import { startRelay } from './relay'
import { originOf } from './relay/command'

export interface StartOptions {
  /** Interface the relay and the app listen on (`0.0.0.0` for every one). */
  host: string
  /** The URL people open, when a reverse proxy or a name stands in front (its path is the app's prefix). */
  publicUrl?: string
  webPort: number
  relayPort: number
  httpPort: number
  dataDir: string
  /** Relay addresses to advertise (e.g. the proxy's `/dns4/…/tcp/443/tls/ws/http-path/…`). */
  announce?: string[]
  logLevel?: LogLevel
  dev: boolean
  rebuild: boolean
  open: boolean
  /** Also run the demo agents (lib/node/demo). */
  demo?: boolean
  presenceIntervalMs: number
}

const root = resolve(import.meta.dirname, '..', '..')
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')

/** The web app's path prefix from the public URL (`https://h/team/` → `/team`), or ''. */
export function basePathOf(publicUrl: string | undefined): string {
  if (publicUrl == null) return ''
  originOf(publicUrl, '--public-url')
  return new URL(publicUrl).pathname.replace(/\/+$/, '')
}

/** Where people reach the app: the public URL, else this host as other machines see it. */
export function webUrlOf(o: Pick<StartOptions, 'host' | 'publicUrl' | 'webPort'>): string {
  if (o.publicUrl) return o.publicUrl.replace(/\/+$/, '')
  const wildcard = o.host === '0.0.0.0' || o.host === '::'
  const host = wildcard ? (lanAddress() ?? 'localhost') : o.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${o.webPort}`
}

/** The first non-internal IPv4 address of this machine, if any. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return undefined
}

/** Starts everything and prints the URL; resolves to a function that stops it all. */
export async function startAll(o: StartOptions): Promise<() => Promise<void>> {
  const basePath = basePathOf(o.publicUrl)
  const web = webUrlOf(o)
  const log = createLogger({ level: o.logLevel ?? 'warn' })
  const relay = await startRelay({
    dataDir: o.dataDir,
    host: o.host,
    port: o.relayPort,
    httpPort: o.httpPort,
    presenceIntervalMs: o.presenceIntervalMs,
    open: o.open,
    announce: o.announce,
    corsOrigins: [new URL(web).origin],
    log,
  })
  const relayHttp = `http://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host === '::' ? '[::1]' : o.host.includes(':') ? `[${o.host}]` : o.host}:${o.httpPort}`
  const env = { ...process.env, CHORUS_RELAY_HTTP: relayHttp, PORT: String(o.webPort), CHORUS_BASE_PATH: basePath }
  if (!o.dev && (o.rebuild || buildIsStale(basePath))) {
    console.log(`building the web app (${o.rebuild ? 'asked for' : 'first run, sources or path prefix changed'}) …`)
    const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' })
    if (build.status !== 0) {
      await relay.stop()
      throw new Error('next build failed (see above)')
    }
    writeFileSync(basePathMarker, basePath)
  }
  const webProc: ChildProcess = spawn(
    process.execPath,
    [nextBin, o.dev ? 'dev' : 'start', '--port', String(o.webPort), '--hostname', o.host],
    // Its own process group: `next start` serves from a child process of its own, which a
    // signal to the CLI alone would leave running (and holding the port) after we stop.
    { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  )
  webProc.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`web app exited with code ${code}`)
  })
  const info = relay.info()
  console.log('')
  console.log(`  Chorus Mesh is running: ${web}/`)
  console.log(`  room "${info.name}" ${info.room}`)
  console.log(`    ${relay.roomCreated ? 'created now' : 'kept from an earlier run'}; ${info.events} events; data in ${o.dataDir}${info.open ? '; open: anyone may join as a reviewer' : ''}`)
  if (!web.startsWith('https:') && !/^http:\/\/(localhost|127\.|\[::1\])/.test(web)) {
    console.log(`    note: other machines get a plain-http page, which browsers do not treat as a secure context;`)
    console.log(`    put the app behind https (docs/deploy.md) and pass --public-url`)
  }
  console.log('')
  let demo: DemoProcess | null = null
  const runDemo = (relayUrl: string, agentInvite: string): void => {
    const dlog = logger(false)
    demo = startDemoProcess({ relayUrl, invite: agentInvite, dataDir: o.dataDir, log: (e, f) => (e === 'phase' || e === 'error' ? dlog(`demo ${e}`, f) : undefined) })
    console.log(`  Demo: ${demo.agents} agents are playing the CHORUS scenarios in their own process (data in ${join(o.dataDir, 'demo')})`)
  }
  const agentRelay = o.publicUrl ? `${relayHttp} (or the relay's public URL)` : relayHttp
  if (relay.roomCreated) {
    const agentInvite = await relay.invite({ role: 'agent', maxUses: 100 })
    console.log(`  Open this link to join as the room's admin (keep it to yourself; shown once):`)
    console.log(`    ${joinLink(web, await relay.invite({ role: 'admin', maxUses: 5 }))}`)
    console.log(`  Invite reviewers with: ${joinLink(web, await relay.invite({ role: 'reviewer', maxUses: 25 }))}`)
    console.log(`  Add an agent (relay ${agentRelay}):`)
    console.log(`    npm run agent -- --name my-agent --invite ${agentInvite}`)
    if (o.demo) runDemo(relay.httpUrl, agentInvite)
  } else {
    console.log(`  Invites were shown when the room was created. Make more with:`)
    console.log(`    npx chorus-mesh invite --role admin|reviewer|agent|observer --data ${o.dataDir}`)
    if (o.demo) runDemo(relay.httpUrl, await relay.invite({ role: 'agent', maxUses: 100 }))
  }
  console.log('')
  return async () => {
    await stopGroup(webProc)
    await (demo as DemoProcess | null)?.stop()
    await relay.stop()
  }
}

/** Stops a child started with `detached` and every process in its group; SIGKILL after 10 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid == null || child.exitCode != null || child.signalCode != null) return
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s)
    } catch {
      // the group is gone already
    }
  }
  signal('SIGTERM')
  const force = setTimeout(() => signal('SIGKILL'), 10_000)
  await exited
  clearTimeout(force)
  // The CLI may exit before the server it started: end whatever is left of the group.
  signal('SIGTERM')
}

const basePathMarker = join(root, '.next', 'chorus-base-path')

/** True when there is no production build, it was built for another path prefix, or a source file is newer than it. */
export function buildIsStale(basePath = ''): boolean {
  const marker = join(root, '.next', 'BUILD_ID')
  if (!existsSync(marker)) return true
  const builtFor = existsSync(basePathMarker) ? readFileSync(basePathMarker, 'utf8') : ''
  if (builtFor !== basePath) return true
  const built = statSync(marker).mtimeMs
  const newer = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = join(dir, e.name)
      if (e.isDirectory()) return e.name !== 'node_modules' && newer(p)
      return statSync(p).mtimeMs > built
    })
  return ['app', 'components', 'lib/core', 'lib/net', 'lib/stores', 'lib/storage', 'public'].some((d) => newer(join(root, d)))
    || ['next.config.js', 'package-lock.json', 'postcss.config.mjs'].some((f) => existsSync(join(root, f)) && statSync(join(root, f)).mtimeMs > built)
}
