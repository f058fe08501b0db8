/**
 * Outcomes out over real HTTP: a relay with CHORUS_OUTCOME_WEBHOOK set POSTs each finished
 * session's outcome to a receiver written here, retrying after a failure, and exactly once
 * across a relay restart; `GET /api/outcomes` serves the records as NDJSON.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sessionIdOf } from '../../core/sessions/ids'
import { ChorusAgent } from '../agent/sdk'
import { startRelay, type Relay } from '../relay'
import { deliveredKey } from './webhook'
import { until } from '../testing/until'
import { scratch } from '../testing/scratch'

const { running, tmp } = scratch('outcomes')

/** A webhook receiver that fails the first request with 500, then acknowledges. */
async function receiver(): Promise<{ url: string; acked: Map<string, number>; failed: number; keys: string[]; server: Server }> {
  const r = { url: '', acked: new Map<string, number>(), failed: 0, keys: [] as string[], server: createServer() }
  r.server.on('request', (req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      if (r.failed === 0) {
        r.failed++
        return res.writeHead(500).end('try again')
      }
      const body = JSON.parse(raw) as { type: string; outcome: { session: string } }
      expect(body.type).toBe('chorus.outcome')
      r.keys.push(String(req.headers['idempotency-key']))
      r.acked.set(body.outcome.session, (r.acked.get(body.outcome.session) ?? 0) + 1)
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', () => ok()))
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hooks/outcomes`
  running.push({ stop: () => new Promise<void>((ok) => { r.server.closeAllConnections(); r.server.close(() => ok()) }) })
  return r
}

const agreeAlways = (a: ChorusAgent) => a.on('plan', (e) => void a.reply(e.session.id, { type: 'agreement', text: 'Agreed.', re: e.event }))

async function pair(relay: Relay, data: string, names: [string, string], tasks: Array<{ taskId: string; repository: string; title: string; description: string }>): Promise<ChorusAgent[]> {
  const invite = await relay.invite({ role: 'agent' })
  const agents = await Promise.all(names.map((name) => ChorusAgent.join({ name, relayUrl: relay.httpUrl, dataDir: data, invite, syncIntervalMs: 500 })))
  for (const a of agents) {
    running.push(a)
    agreeAlways(a)
  }
  await Promise.all(agents.map((a, i) => a.claim(tasks[i])))
  return agents
}

describe('outcome webhook and /api/outcomes', () => {
  it('POSTs each outcome exactly once, retrying a failure, across a relay restart', async () => {
    const hook = await receiver()
    const relayDir = tmp()
    const data = tmp()
    const start = (port = 0, httpPort = 0) =>
      startRelay({ dataDir: relayDir, host: '127.0.0.1', port, httpPort, presenceIntervalMs: 300, syncIntervalMs: 500, outcomeWebhook: hook.url })
    let relay = await start()
    running.push(relay)

    const auth = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')
    const first = await pair(relay, data, ['api-agent', 'web-agent'], [
      { taskId: 'auth-api', repository: 'api', title: 'Define user authentication API', description: 'REST contract' },
      { taskId: 'login-page', repository: 'web', title: 'Build the login page', description: 'Form that calls the authentication API' },
    ])
    await until('the first outcome delivered', () => hook.acked.get(auth) === 1)
    expect(hook.failed).toBe(1) // the first POST failed and was retried
    // The relay writes its delivery mark after the receiver's 2xx has reached it.
    await until('the delivery mark stored', async () => (await relay.store.getMeta(relay.info().room, deliveredKey(auth))) !== undefined)

    const res = await fetch(`${relay.httpUrl}/api/outcomes`)
    expect(res.headers.get('content-type')).toBe('application/x-ndjson')
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ session: auth, outcome: 'consensus', consensusReached: true })

    for (const a of first) await a.stop()
    const port = Number(relay.info().relay.addrs[0].split('/')[4])
    const httpPort = Number(new URL(relay.httpUrl).port)
    await relay.stop()
    running.splice(running.indexOf(relay), 1)
    relay = await start(port, httpPort)
    running.push(relay)

    const prefs = sessionIdOf('dependency', ['prefs-table', 'user-service'], 'Database_Schema')
    await pair(relay, data, ['db-agent', 'users-agent'], [
      { taskId: 'prefs-table', repository: 'db', title: 'Add user preferences table', description: 'Migration creating the preferences table' },
      { taskId: 'user-service', repository: 'users', title: 'User service for preferences', description: 'Service that reads and writes user preferences' },
    ])
    await until('the second outcome delivered', () => hook.acked.get(prefs) === 1)
    await new Promise((r) => setTimeout(r, 1500))
    expect(Object.fromEntries(hook.acked)).toEqual({ [auth]: 1, [prefs]: 1 })
    expect(hook.keys).toEqual([`${relay.info().room}/${auth}`, `${relay.info().room}/${prefs}`])
  }, 90_000)
})
