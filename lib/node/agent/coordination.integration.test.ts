/**
 * Agents coordinating over a real relay on loopback (DESIGN §2): two SDK agents claim
 * dependent tasks, the mesh detects the dependency and opens a session, the session's primary
 * writes the plan, both agree and the session resolves with an outcome record. When the
 * primary dies before planning, the next-ranked planner writes the plan (a view change).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionId } from '../../core/ids'
import { sessionIdOf } from '../../core/sessions/ids'
import { selectOutcomes } from '../../core/state/selectors'
import { llmPlanner } from '../planner/llm'
import { startRelay, type Relay } from '../relay'
import { rankPlanners } from './rank'
import { ChorusAgent, type ChorusAgentOptions } from './sdk'
import { until } from '../testing/until'
import { scratch } from '../testing/scratch'

const { running, tmp } = scratch('agents')

async function relayAt(dataDir: string): Promise<Relay> {
  const r = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500 })
  running.push(r)
  return r
}

async function agent(relay: Relay, name: string, dataDir: string, extra: Partial<ChorusAgentOptions> = {}): Promise<ChorusAgent> {
  const invite = await relay.invite({ role: 'agent' })
  const a = await ChorusAgent.join({ name, relayUrl: relay.httpUrl, dataDir, invite, syncIntervalMs: 500, graceMs: 3000, ...extra })
  running.push(a)
  return a
}

const AUTH_API = { taskId: 'auth-api', repository: 'api', title: 'Define user authentication API', description: 'REST contract for signing users in and out' }
const LOGIN_PAGE = { taskId: 'login-page', repository: 'web', title: 'Build the login page', description: 'Form that calls the authentication API' }
const SESSION = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')

/** Agrees with every plan version of its sessions. */
const agreeAlways = (a: ChorusAgent) =>
  a.on('plan', (e) => void a.reply(e.session.id, { type: 'agreement', text: `Agreed with plan v${e.version}.`, re: e.event }))

describe('agents coordinating over a real relay', () => {
  it('claims → session → primary plan → agreements → resolved with an outcome', async () => {
    const relay = await relayAt(tmp())
    const data = tmp()
    const api = await agent(relay, 'api-agent', data)
    const web = await agent(relay, 'web-agent', data)
    agreeAlways(api)
    agreeAlways(web)
    const opened: SessionId[] = []
    web.on('session', (e) => {
      if (e.status === 'active' && e.previous === null) opened.push(e.session.id)
    })

    const iterated: string[] = []
    const iteration = (async () => {
      for await (const e of api.events()) {
        iterated.push(e.type)
        if (e.type === 'session' && e.status === 'resolved') break
      }
    })()

    const t0 = Date.now()
    await api.claim(AUTH_API)
    await web.claim(LOGIN_PAGE)
    const resolved = (x: ChorusAgent | Relay) => x instanceof ChorusAgent ? x.state.sessions.get(SESSION)?.status === 'resolved' : x.peer.host.replica.state.sessions.get(SESSION)?.status === 'resolved'
    await until('the session to resolve everywhere', () => resolved(api) && resolved(web) && resolved(relay))
    const elapsed = Date.now() - t0
    console.log(`claim → resolved on every peer: ${elapsed} ms`)

    expect(opened).toContain(SESSION)
    await iteration
    expect(iterated[0]).toBe('session')
    expect(iterated).toContain('plan')
    expect(iterated.filter((t) => t === 'message').length).toBeGreaterThanOrEqual(1)
    const s = relay.peer.host.replica.state.sessions.get(SESSION)!
    expect(s.participants.sort()).toEqual([api.peerId, web.peerId].sort())
    expect(s.plans).toHaveLength(1)
    // The plan is written by the primary: the first-ranked live planner.
    expect(s.plans[0].author).toBe(rankPlanners(SESSION, [api.peerId, web.peerId])[0])
    expect(s.plans[0].plan.planner.kind).toBe('template')
    expect(s.resolution).toMatchObject({ reason: 'consensus', strength: 1 })
    const outcome = selectOutcomes(relay.peer.host.replica.state).find((o) => o.session === SESSION)
    expect(outcome).toMatchObject({ outcome: 'consensus', consensusReached: true, consensusStrength: 1, escalated: false, tasks: ['auth-api', 'login-page'] })
    expect(elapsed).toBeLessThan(20_000)
    // One elected emitter: exactly one session for the pair.
    expect([...relay.peer.host.replica.state.sessions.keys()]).toEqual([SESSION])
  })

  it('the next-ranked planner writes the plan when the primary has died (view change)', async () => {
    const relay = await relayAt(tmp())
    const data = tmp()
    const p1 = await agent(relay, 'planner-1', data)
    const p2 = await agent(relay, 'planner-2', data)
    const api = await agent(relay, 'api-agent', data, { planner: false })
    const web = await agent(relay, 'web-agent', data, { planner: false })
    agreeAlways(api)
    agreeAlways(web)
    await until('every member known to every peer', () => [p1, p2, api, web].every((a) => a.state.members.size >= 4))

    const [primary, backup] = rankPlanners(SESSION, [p1.peerId, p2.peerId]).map((id) => [p1, p2].find((p) => p.peerId === id)!)
    await primary.stop({ goodbye: false })
    running.splice(running.indexOf(primary), 1)

    const t0 = Date.now()
    await api.claim(AUTH_API)
    await web.claim(LOGIN_PAGE)
    await until('a plan', () => (backup.state.sessions.get(SESSION)?.plans.length ?? 0) > 0)
    console.log(`view change: claim → plan by the backup in ${Date.now() - t0} ms`)
    const s = backup.state.sessions.get(SESSION)!
    expect(s.plans[0].author).toBe(backup.peerId)
    await until('resolved', () => backup.state.sessions.get(SESSION)?.status === 'resolved')
    expect(backup.state.sessions.get(SESSION)!.resolution?.reason).toBe('consensus')
  })

  it("an LLM primary's plan arrives on the mesh, and its fallback says why", async () => {
    let fail = false
    const llm = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        if (fail) return res.writeHead(500).end()
        const plan = {
          summary: 'Contract first, then the page.',
          sequence: [{ taskId: 'auth-api', order: 1, reason: 'defines the contract' }, { taskId: 'login-page', order: 2, reason: 'calls it' }],
          artifacts: [], coordinationPoints: ['Share the spec.'], risks: [], successCriteria: ['Sign-in works.'],
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify(plan) } }] }))
      })
    })
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', () => r()))
    running.push({ stop: () => new Promise<void>((r) => { llm.closeAllConnections(); llm.close(() => r()) }) })
    const planner = llmPlanner({ url: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`, model: 'tiny', timeoutMs: 5000 })
    const relay = await relayAt(tmp())
    const data = tmp()
    const api = await agent(relay, 'api-agent', data, { planner })
    const web = await agent(relay, 'web-agent', data, { planner })
    // The web agent objects once, so the primary writes a second version — with the LLM down.
    api.on('plan', (e) => void api.reply(e.session.id, { type: 'agreement', text: 'Agreed.', re: e.event }))
    web.on('plan', (e) => {
      fail = true
      void web.reply(e.session.id, e.version === 1 ? { type: 'concern', text: 'Who owns the error codes?', re: e.event } : { type: 'agreement', text: 'Agreed.', re: e.event })
    })
    await api.claim(AUTH_API)
    await web.claim(LOGIN_PAGE)
    await until('resolved on v2', () => relay.peer.host.replica.state.sessions.get(SESSION)?.status === 'resolved')
    const [v1, v2] = relay.peer.host.replica.state.sessions.get(SESSION)!.plans
    expect(v1.plan.planner).toEqual({ kind: 'llm', model: 'tiny' })
    expect(v1.plan.summary).toBe('Contract first, then the page.')
    expect(v2.plan.planner).toMatchObject({ kind: 'template', fallbackReason: expect.stringMatching(/tiny.*http: HTTP 500/) })
  })
})
