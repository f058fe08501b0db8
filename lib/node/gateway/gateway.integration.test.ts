/**
 * The HTTP + SSE gateway over a real relay and a real agent: its OpenAPI document passes an
 * OpenAPI validator, it refuses requests without the token and bad bodies with the field
 * named, and the standard-library Python example claims a task through it and receives the
 * plan over Server-Sent Events while an SDK agent holds the task it depends on.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChorusAgent } from '../agent/sdk'
import { OPERATIONS } from '../ops/catalogue'
import { AgentOps } from '../ops/ops'
import { startRelay, type Relay } from '../relay'
import { until } from '../testing/until'
import { parseListen } from './run'
import { startGateway, type Gateway } from './server'

const running: Array<{ stop(): Promise<void> }> = []
const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-gw-'))
  dirs.push(d)
  return d
}

let relay: Relay
let gateway: Gateway
let api: ChorusAgent
let pyAgent: ChorusAgent
const TOKEN = 'test-token-0123456789'

beforeAll(async () => {
  relay = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500 })
  running.push(relay)
  const data = tmp()
  const join = async (name: string) => {
    const a = await ChorusAgent.join({ name, relayUrl: relay.httpUrl, dataDir: data, invite: await relay.invite({ role: 'agent' }), syncIntervalMs: 500 })
    running.push(a)
    return a
  }
  const [py, sdk] = await Promise.all([join('py-agent'), join('api-agent')])
  api = sdk
  pyAgent = py
  const ops = new AgentOps(py)
  gateway = await startGateway({ ops: async () => ops, host: '127.0.0.1', port: 0, token: TOKEN, keepAliveMs: 2000 })
  running.push(gateway)
}, 60_000)

afterAll(async () => {
  for (const r of running.splice(0).reverse()) await r.stop().catch(() => {})
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const post = (path: string, body: unknown, token: string | null = TOKEN) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })

describe('chorus-mesh gateway', () => {
  it('serves an OpenAPI 3.1 document that an OpenAPI validator accepts, with every operation and /events', async () => {
    const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> }
    const verdict = await new Validator().validate(doc)
    expect(verdict.errors ?? []).toEqual([])
    expect(verdict.valid).toBe(true)
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual([...OPERATIONS.map((o) => `/v1/${o.name}`), '/events', '/healthz'].sort())
  })

  it('refuses a missing or wrong token, names the bad field, and maps refusals to statuses', async () => {
    expect((await post('/v1/room', {}, null)).status).toBe(401)
    expect((await post('/v1/room', {}, 'wrong')).status).toBe(401)
    expect((await fetch(`${gateway.url}/events`)).status).toBe(401)
    const bad = await post('/v1/claim_task', { task: { taskId: 'x', repository: 'r', title: 'y', artifacts: [{ id: 'openapi:/nope', role: 'define' }] } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/task/)
    expect((await post('/v1/ready', { taskId: 'nope' })).status).toBe(404)
    expect((await post('/v1/no_such_op', {})).status).toBe(404)
    const reply = await post('/v1/reply', { session: 'ses_00000000000000000000000000000000', type: 'agreement', text: 'ok' })
    expect(reply.status).toBe(404)
    expect(await post('/v1/room', {}).then((r) => r.json())).toMatchObject({ me: { name: 'py-agent' } })
  })

  it('the Python example claims a task and receives the plan over SSE', async () => {
    api.on('plan', (e) => void api.reply(e.session.id, { type: 'agreement', text: 'Agreed.', re: e.event }))
    await api.claim({ taskId: 'auth-api', repository: 'acme/identity', title: 'Add the sign-in operation', artifacts: [{ id: 'openapi:POST /v1/login', role: 'define' }] })
    // The claim's answer names the dependencies the gateway's agent knows of when it claims.
    await until('the gateway agent to hear the auth-api claim', () => pyAgent.state.tasks.has('auth-api' as never), 30_000)
    const py = spawn('python3', ['examples/python/chorus_agent.py', '--gateway', gateway.url, '--token', TOKEN, '--task-id', 'login-page', '--repository', 'acme/web', '--title', 'Sign-in form', '--artifact', 'consume', 'openapi:POST /v1/login', '--agree', '--timeout', '100'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    py.stdout.on('data', (b) => (out += String(b)))
    py.stderr.on('data', (b) => (err += String(b)))
    const code = await new Promise<number | null>((resolve) => py.on('exit', resolve))
    expect(err).toBe('')
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => l.event)).toEqual(['claimed', 'plan', 'replied', 'settled'])
    expect(lines[0]).toMatchObject({ taskId: 'login-page', dependencies: ['auth-api'] })
    expect(lines[1].planText).toMatch(/1\. auth-api[\s\S]*2\. login-page/)
    expect(lines[3]).toMatchObject({ status: 'resolved', ready: { ready: false, text: 'Wait for auth-api.' } })
    expect(code).toBe(0)
  }, 150_000)

  it('GET /events resumes after Last-Event-ID', async () => {
    const read = async (headers: Record<string, string>) => {
      const ac = new AbortController()
      const res = await fetch(`${gateway.url}/events`, { headers: { authorization: `Bearer ${TOKEN}`, ...headers }, signal: ac.signal })
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
      const reader = res.body!.getReader()
      let text = ''
      while (!text.includes('\n\n: keep-alive') && !/event: session[\s\S]*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value)
      ac.abort()
      return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))
    }
    const all = await read({})
    expect(all.length).toBeGreaterThan(2)
    expect(all).toEqual([...all].sort((a, b) => a - b))
    const after = await read({ 'last-event-id': String(all[1]) })
    expect(after[0]).toBe(all[2])
  })

  it('parses --listen and is loopback unless told otherwise', async () => {
    expect(parseListen('127.0.0.1:7790')).toEqual({ host: '127.0.0.1', port: 7790 })
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 })
    expect(() => parseListen('7790')).toThrow(/expected HOST:PORT/)
    const { runGateway } = await import('./run')
    await expect(runGateway({ name: 'x', relay: relay.httpUrl, data: tmp(), listen: '0.0.0.0:0', allowRemote: false, planner: false }, Promise.resolve())).rejects.toThrow(/not a loopback address/)
  })
})
