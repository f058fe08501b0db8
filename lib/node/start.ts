/**
 * `npm start`: a relay in this process and the Next.js app as a child process, on localhost
 * (with `--demo`, the demo's agents in a third process).
 * The production build is made on first run (and again when sources are newer than it), since
 * a built app loads in a second where `next dev` compiles each page on first visit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { logger } from './agent/command'
import { startDemoProcess, type DemoProcess } from './demo/child'
import { joinLink } from './invites'
import { startRelay } from './relay'

export interface StartOptions {
  host: string
  webPort: number
  relayPort: number
  httpPort: number
  dataDir: string
  dev: boolean
  rebuild: boolean
  open: boolean
  /** Also run the demo agents (lib/node/demo). */
  demo?: boolean
  presenceIntervalMs: number
}

const root = resolve(import.meta.dirname, '..', '..')
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next')

/** Starts everything and prints the URL; resolves to a function that stops it all. */
export async function startAll(o: StartOptions): Promise<() => Promise<void>> {
  const relay = await startRelay({
    dataDir: o.dataDir,
    host: o.host,
    port: o.relayPort,
    httpPort: o.httpPort,
    presenceIntervalMs: o.presenceIntervalMs,
    open: o.open,
  })
  const env = { ...process.env, CHORUS_RELAY_HTTP: `http://${o.host}:${o.httpPort}`, PORT: String(o.webPort) }
  if (!o.dev && (o.rebuild || buildIsStale())) {
    console.log('building the web app (first run or sources changed) …')
    const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' })
    if (build.status !== 0) {
      await relay.stop()
      throw new Error('next build failed (see above)')
    }
  }
  const webProc: ChildProcess = spawn(
    process.execPath,
    [nextBin, o.dev ? 'dev' : 'start', '--port', String(o.webPort), '--hostname', o.host],
    { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
  )
  webProc.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`web app exited with code ${code}`)
  })
  const info = relay.info()
  const web = `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${o.webPort}`
  const agentInvite = await relay.invite({ role: 'agent', maxUses: 100 })
  console.log('')
  console.log(`  Chorus Mesh is running: ${web}/`)
  console.log(`  room "${info.name}" ${info.room}`)
  console.log(`    ${relay.roomCreated ? 'created now' : 'kept from an earlier run'}; ${info.events} events; data in ${o.dataDir}${info.open ? '; open: anyone may join as a reviewer' : ''}`)
  console.log('')
  console.log(`  Open this link to join as the room's admin (keep it to yourself):`)
  console.log(`    ${joinLink(web, await relay.invite({ role: 'admin', maxUses: 5 }))}`)
  console.log(`  Invite reviewers with: ${joinLink(web, await relay.invite({ role: 'reviewer', maxUses: 25 }))}`)
  console.log(`  Add an agent:`)
  console.log(`    npm run agent -- --name my-agent --invite ${agentInvite}`)
  console.log('')
  let demo: DemoProcess | null = null
  if (o.demo) {
    const log = logger(false)
    demo = startDemoProcess({ relayUrl: relay.httpUrl, invite: agentInvite, dataDir: o.dataDir, log: (e, f) => (e === 'phase' || e === 'error' ? log(`demo ${e}`, f) : undefined) })
    console.log(`  Demo: ${demo.agents} agents are playing the CHORUS scenarios in their own process (data in ${join(o.dataDir, 'demo')})`)
  }
  return async () => {
    webProc.kill('SIGTERM')
    await demo?.stop()
    await relay.stop()
  }
}

/** True when there is no production build or a source file is newer than it. */
export function buildIsStale(): boolean {
  const marker = join(root, '.next', 'BUILD_ID')
  if (!existsSync(marker)) return true
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
