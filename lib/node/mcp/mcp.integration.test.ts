/**
 * Real MCP clients (the official SDK's Client over stdio) driving `chorus-mesh mcp` processes
 * against a real relay: two agents claim dependent tasks, get the plan through
 * wait_for_activity, agree, and see the session resolve; `ready` says "wait for auth-api"
 * until it completes and "go" after; a third agent escalates a path conflict and sees the
 * decision a reviewer peer (a Node member with the reviewer role) takes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, describe, expect, it } from 'vitest'
import type { SessionId } from '../../core/ids'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '../relay'
import { until } from '../testing/until'

const running: Array<{ stop(): Promise<void> }> = []
const dirs: string[] = []
afterAll(async () => {
  for (const r of running.splice(0).reverse()) await r.stop().catch(() => {})
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-mcp-'))
  dirs.push(d)
  return d
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** An MCP client connected to a freshly spawned `chorus-mesh mcp`. */
async function mcpAgent(relay: Relay, name: string, data: string): Promise<{ call(tool: string, args?: Json): Promise<Json>; fail(tool: string, args?: Json): Promise<string>; client: Client }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/chorus-mesh.js', 'mcp', '--name', name, '--relay', relay.httpUrl, '--data', data],
    env: { ...(process.env as Record<string, string>), CHORUS_INVITE: await relay.invite({ role: 'agent' }) },
    stderr: 'pipe',
  })
  let log = ''
  transport.stderr?.on('data', (b) => (log += String(b)))
  const client = new Client({ name: `test-${name}`, version: '1.0.0' })
  await client.connect(transport)
  running.push({ stop: () => client.close() })
  const raw = async (tool: string, args: Json) => (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 90_000 })) as { isError?: boolean; content: { type: string; text: string }[] }
  return {
    client,
    async call(tool, args = {}) {
      const r = await raw(tool, args)
      if (r.isError) throw new Error(`${name} ${tool}: ${r.content[0]?.text}\n${log}`)
      // The JSON result is the last block (a plan may come first as plain text).
      return JSON.parse(r.content[r.content.length - 1].text)
    },
    async fail(tool, args = {}) {
      const r = await raw(tool, args)
      expect(r.isError).toBe(true)
      return r.content[0].text
    },
  }
}

/** Calls wait_for_activity until an entry satisfies `pick`; returns it. */
async function waitFor(agent: Awaited<ReturnType<typeof mcpAgent>>, what: string, pick: (a: Json) => boolean, deadlineMs = 60_000): Promise<Json> {
  const deadline = Date.now() + deadlineMs
  while (Date.now() < deadline) {
    const r = await agent.call('wait_for_activity', { timeoutMs: 10_000 })
    const hit = (r.activity as Json[]).find(pick)
    if (hit) return hit
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('chorus-mesh mcp with real MCP clients', () => {
  it('two agents coordinate a dependency to resolution, ready says wait then go, a third escalates and sees the reviewer decide', async () => {
    const relay = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500 })
    running.push(relay)
    const data = tmp()
    const [api, web] = await Promise.all([mcpAgent(relay, 'api-agent', data), mcpAgent(relay, 'web-agent', data)])

    const tools = (await api.client.listTools()).tools
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['claim_task', 'complete_task', 'escalate', 'export_discussion', 'extract_artifacts', 'get_session', 'list_sessions', 'preview_dependencies', 'ready', 'release_task', 'reply', 'room', 'wait_for_activity'].sort(),
    )
    for (const t of tools) expect(t.description!.length).toBeGreaterThan(60)

    const AUTH = { taskId: 'auth-api', repository: 'acme/identity', title: 'Add the sign-in operation', paths: ['openapi/**'], artifacts: [{ id: 'openapi:POST /v1/login', role: 'define' }] }
    const LOGIN = { task_id: 42, project_id: 7, repository: 'acme/web', title: 'Sign-in form', description: 'Form posting credentials', keywords: null, agent_id: 'web-agent', claimed_at: '2026-11-30T09:00:00Z', artifacts: [{ id: 'openapi:post /v1/login', role: 'consume' }] }
    expect((await api.call('claim_task', { task: AUTH })).taskId).toBe('auth-api')
    await until('web-agent to see the auth task', async () => (await web.call('room')).tasks.some((t: Json) => t.taskId === 'auth-api'), 60_000)
    const preview = await web.call('preview_dependencies', { task: LOGIN })
    expect(preview.dependencies).toMatchObject([{ relationship: 'API_Contract', confidence: 0.9, other: { taskId: 'auth-api' } }])
    expect(preview.dependencies[0].reason).toContain('openapi:POST /v1/login: defined by auth-api, consumed by 7:42')
    await web.call('claim_task', { task: LOGIN })

    // Both receive the plan through wait_for_activity.
    const [planA, planW] = await Promise.all([
      waitFor(api, 'the plan at api-agent', (a) => a.type === 'plan'),
      waitFor(web, 'the plan at web-agent', (a) => a.type === 'plan'),
    ])
    expect(planW.session).toBe(planA.session)
    expect(planW.planText).toMatch(/1\. auth-api[\s\S]*2\. 7:42/)
    const session = planA.session as SessionId
    const detail = await web.call('get_session', { session })
    expect(detail).toMatchObject({ type: 'dependency', status: 'active', rule: 'API_Contract', planVersion: 1, mine: true })
    expect(detail.expected).toMatch(/^Reply to plan v1/)
    expect(detail.planText).toContain('openapi:POST /v1/login')
    const raw = (await web.client.callTool({ name: 'get_session', arguments: { session } })) as { content: { text: string }[] }
    expect(raw.content[0].text).toBe(detail.planText)

    expect((await web.call('ready', { taskId: '7:42' })).ready).toBe(false)
    await api.call('reply', { session, type: 'agreement', text: 'Agreed: I publish the contract first.' })
    await web.call('reply', { session, type: 'agreement', text: 'Agreed: I build on it once merged.' })
    await Promise.all([
      waitFor(api, 'resolved at api-agent', (a) => a.type === 'session' && a.session === session && a.status === 'resolved'),
      waitFor(web, 'resolved at web-agent', (a) => a.type === 'session' && a.session === session && a.status === 'resolved'),
    ])
    const wait = await web.call('ready', { taskId: '7:42' })
    expect(wait).toMatchObject({ ready: false, waitFor: [{ taskId: 'auth-api', session }] })
    expect(wait.text).toBe('Wait for auth-api.')
    expect(await web.fail('complete_task', { taskId: 'auth-api' })).toMatch(/^not_yours: task auth-api is held by api-agent/)

    await api.call('complete_task', { taskId: 'auth-api', note: 'merged' })
    const flip = await waitFor(web, 'login to become ready', (a) => a.type === 'ready' && a.taskId === '7:42' && a.ready === true)
    expect(flip.text).toBe('Go: nothing has to finish before 7:42.')
    expect(await web.call('ready', { taskId: '7:42' })).toMatchObject({ ready: true, waitFor: [] })
    const exported = await web.call('export_discussion', { session })
    expect(exported).toMatchObject({ session_id: session, type: 'dependency', status: 'resolved', consensus_reached: true, consensus_strength: 1, outcome_type: 'consensus' })
    expect(exported.tasks_involved.map((t: Json) => [t.task_id, t.project_id])).toEqual([[42, 7], ['auth-api', 'default']])

    // A third agent and api-agent clash on paths; the third escalates, a reviewer decides.
    const reviewer: MeshAgent = await startMeshAgent({ name: 'reviewer', relayUrl: relay.httpUrl, dataDir: tmp(), invite: await relay.invite({ role: 'reviewer' }), syncIntervalMs: 500 })
    running.push(reviewer)
    expect(await reviewer.join()).toMatchObject({ status: 'member', role: 'reviewer' })
    const docs = await mcpAgent(relay, 'docs-agent', data)
    await api.call('claim_task', { task: { taskId: 'auth-errors', repository: 'acme/identity', title: 'Error codes for sign-in', paths: ['openapi/errors.yaml'] } })
    await until('docs-agent to see auth-errors', async () => (await docs.call('room')).tasks.some((t: Json) => t.taskId === 'auth-errors'), 60_000)
    const claimed = await docs.call('claim_task', { task: { taskId: 'api-docs', repository: 'acme/identity', title: 'Document the API', paths: ['openapi/*.yaml'] } })
    expect(claimed.conflicts).toMatchObject([{ taskId: 'auth-errors', kind: 'paths', paths: [['openapi/*.yaml', 'openapi/errors.yaml']] }])
    const opened = await waitFor(docs, 'the path conflict', (a) => a.type === 'session' && a.sessionType === 'conflict' && a.rule === 'paths')
    const conflict = opened.session as SessionId
    await docs.call('escalate', { session: conflict, note: 'Who owns openapi/errors.yaml?' })
    await until('the escalation at the reviewer', () => reviewer.peer.host.replica.state.sessions.get(conflict)?.status === 'escalated', 60_000)
    await reviewer.peer.author('escalation.resolved', { session: conflict, decision: 'auth-errors goes first; api-docs documents the result.' })
    await waitFor(docs, 'the decision', (a) => a.type === 'session' && a.session === conflict && a.status === 'resolved')
    const decided = await docs.call('get_session', { session: conflict })
    expect(decided.humanDecision).toMatchObject({ kind: 'resolved', by: 'reviewer', text: 'auth-errors goes first; api-docs documents the result.' })
    expect(decided.resolution).toMatchObject({ reason: 'human_decision' })
    expect(decided.expected).toMatch(/a reviewer decided: "auth-errors goes first/)

    const resources = await docs.client.listResources()
    expect(resources.resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['chorus://room', 'chorus://sessions']))
    const read = await docs.client.readResource({ uri: `chorus://sessions/${conflict}` })
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: conflict, status: 'resolved' })
  }, 240_000)
})
