/**
 * The shipped nginx configuration (deploy/nginx.conf), edited the way its comments tell an
 * operator to, in front of a real relay: TLS ends at nginx, the relay's API and WebSockets
 * live under /relay/, an invite is made with `chorus-mesh invite` through the prefix, and a
 * real agent process joins over wss and claims a task.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cli, freePorts } from '../testing/relay-process'
import { requireTool, selfSignedCert } from '../testing/tools'
import { until } from '../testing/until'
import { startRelay, type Relay } from '.'

const root = resolve(import.meta.dirname, '..', '..', '..')
const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-nginx-'))
  cleanup.push(() => rmSync(d, { recursive: true, force: true }))
  return d
}

/** deploy/nginx.conf with the operator's edits: name, certificate, listen port, upstream ports. */
function operatorConfig(o: { port: number; cert: string; key: string; ws: number; api: number; web: number }): string {
  return readFileSync(join(root, 'deploy', 'nginx.conf'), 'utf8')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${o.port} ssl;`)
    .replace('server_name chorus.example.com;', 'server_name localhost;')
    .replace('/etc/ssl/chorus/fullchain.pem', o.cert)
    .replace('/etc/ssl/chorus/privkey.pem', o.key)
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${o.web};`)
    .replace('server 127.0.0.1:7780;', `server 127.0.0.1:${o.ws};`)
    .replace('server 127.0.0.1:7781;', `server 127.0.0.1:${o.api};`)
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const c = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    c.stdout.on('data', (d) => (stdout += d))
    c.stderr.on('data', (d) => (stderr += d))
    c.on('exit', (code) => done({ code, stdout, stderr }))
  })
}

describe('deploy/nginx.conf', () => {
  it('terminates TLS for the relay under /relay/: an invite made through it admits an agent over wss', async () => {
    const nginx = requireTool('nginx')
    const dir = tmp()
    const { cert, key } = selfSignedCert(dir, ['localhost', '127.0.0.1'])
    const [port, ws, api, web] = await freePorts(4)
    const relay: Relay = await startRelay({
      dataDir: join(dir, 'relay'), host: '127.0.0.1', port: ws, httpPort: api, presenceIntervalMs: 500,
      announce: [`/dns4/localhost/tcp/${port}/tls/ws/http-path/relay%2Fws`],
    })
    cleanup.push(() => relay.stop())
    mkdirSync(join(dir, 'nginx'))
    const server = operatorConfig({ port, cert, key, ws, api, web })
    writeFileSync(join(dir, 'nginx', 'chorus.conf'), server)
    writeFileSync(join(dir, 'nginx', 'nginx.conf'), [
      `pid ${dir}/nginx/nginx.pid;`, `error_log ${dir}/nginx/error.log;`, 'daemon off;', 'events {}',
      'http {', '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/nginx/${t};`),
      `  include ${dir}/nginx/chorus.conf;`, '}',
    ].join('\n'))
    const check = spawnSync(nginx, ['-t', '-c', join(dir, 'nginx', 'nginx.conf'), '-p', join(dir, 'nginx')], { encoding: 'utf8' })
    expect(check.status, check.stderr).toBe(0)
    const proc: ChildProcess = spawn(nginx, ['-c', join(dir, 'nginx', 'nginx.conf'), '-p', join(dir, 'nginx')], { stdio: 'ignore' })
    cleanup.push(() => void proc.kill('SIGQUIT'))

    const env = { ...process.env, NODE_EXTRA_CA_CERTS: cert, CHORUS_ADMIN_TOKEN: '' }
    const relayUrl = `https://127.0.0.1:${port}/relay`
    let made: { invite: string } | undefined
    let last = ''
    await until('nginx to pass an invite request through /relay/', async () => {
      // Not spawnSync: the relay runs in this process and must keep answering.
      const r = await run([cli, 'invite', '--role', 'agent', '--relay', relayUrl, '--data', join(dir, 'relay'), '--json'], env)
      if (r.code === 0) made = JSON.parse(r.stdout)
      last = r.stderr
      return made != null
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${last}`)
    })

    const agent = spawn(process.execPath, [cli, 'agent', '--name', 'behind-nginx', '--relay', relayUrl, '--invite', made!.invite, '--data', tmp(), '--repo', 'web', '--task', 'Build the login page'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    cleanup.push(() => void agent.kill('SIGKILL'))
    let out = ''
    agent.stdout?.on('data', (d) => (out += d))
    agent.stderr?.on('data', (d) => (out += d))
    const state = () => relay.peer.host.replica.state
    await until('the agent to join through nginx and claim', () => {
      if (agent.exitCode != null) throw new Error(`agent exited: ${out}`)
      return [...state().members.values()].some((m) => m.displayName === 'behind-nginx') && state().tasks.size === 1
    }, 90_000)
    // It came in through nginx: the relay saw the connection from loopback on its ws port.
    expect(relay.node.getConnections().some((c) => c.remoteAddr.toString().startsWith('/ip4/127.0.0.1/'))).toBe(true)
  }, 180_000)
})
