/**
 * `chorus-mesh gateway`: one agent identity served over HTTP + SSE on loopback (by default),
 * for agents in any language. Prints the URL and the bearer token once listening.
 */
import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import { joinAgentOps, type AgentIdentityOptions } from '../ops/join'
import { startGateway } from './server'

export interface GatewayCommandOptions extends AgentIdentityOptions {
  listen: string
  token?: string
  allowRemote: boolean
}

/** `host:port` (IPv6 in brackets) → parts; throws a message naming the flag. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen.trim())
  const port = m ? Number(m[3]) : NaN
  if (!m || port > 65_535) throw new Error(`--listen ${listen}: expected HOST:PORT, e.g. 127.0.0.1:7790`)
  return { host: m[1] ?? m[2], port }
}

const LOOPBACK = (host: string) => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))

/** Runs the gateway until `stopped` resolves. */
export async function runGateway(o: GatewayCommandOptions, stopped: Promise<void>): Promise<void> {
  const { host, port } = parseListen(o.listen)
  if (!LOOPBACK(host) && !o.allowRemote) {
    throw new Error(`--listen ${o.listen}: not a loopback address; the token grants this agent's identity, so add --allow-remote (behind TLS) to mean it`)
  }
  const token = o.token ?? randomBytes(24).toString('base64url')
  const ops = joinAgentOps(o, 'gateway')
  const gateway = await startGateway({ ops: () => ops, host, port, token })
  console.log(`gateway ${gateway.url} (OpenAPI at ${gateway.url}/openapi.json, events at ${gateway.url}/events)`)
  console.log(`token ${token}`)
  await ops.then((x) => console.log(`joined as ${x.agent.name} (${x.agent.peerId})`)).catch(() => {})
  await stopped
  await gateway.stop()
  const joined = await ops.catch(() => null)
  joined?.close()
  await joined?.agent.stop()
}
