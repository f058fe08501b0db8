/**
 * A relay serving TLS itself (`--tls-cert/--tls-key`): its HTTP API answers over https, it
 * advertises `/tls/ws`, and a real `chorus-mesh agent` process that trusts the certificate
 * (NODE_EXTRA_CA_CERTS, as an operator would set it) joins over wss and writes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cli } from '../testing/relay-process'
import { selfSignedCert } from '../testing/tools'
import { until } from '../testing/until'
import { scratch } from '../testing/scratch'
import { startRelay, type Relay } from '.'

const { running, tmp } = scratch('tls')
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

describe('relay with its own TLS', () => {
  it('serves https and wss; an agent that trusts the certificate joins over wss', async () => {
    const certDir = tmp()
    const { cert, key } = selfSignedCert(certDir, ['localhost', '127.0.0.1'])
    const relay: Relay = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, tls: { certFile: cert, keyFile: key } })
    running.push(relay)
    expect(relay.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(relay.info().relay.addrs[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/tls\/ws\/p2p\//)

    const invite = await relay.invite({ role: 'agent' })
    const child = spawn(process.execPath, [cli, 'agent', '--name', 'tls-agent', '--relay', relay.httpUrl, '--invite', invite, '--data', tmp(), '--repo', 'api', '--task', 'Define the login API', '--json'], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    child.stdout?.on('data', (d) => (out += d))
    child.stderr?.on('data', (d) => (out += d))
    const state = () => relay.peer.host.replica.state
    await until('the agent to join over wss and claim its task', () => {
      if (child.exitCode != null) throw new Error(`agent exited: ${out}`)
      return [...state().members.values()].some((m) => m.displayName === 'tls-agent') && state().tasks.size === 1
    }, 90_000)
    const conns = relay.node.getConnections().map((c) => c.remoteAddr.toString())
    expect(conns.length).toBeGreaterThan(0)
  }, 120_000)
})
