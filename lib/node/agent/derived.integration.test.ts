/**
 * One emitter per derived event on a real mesh (ADR 0070): agents over a relay on loopback.
 * With bystander agents in the room, every derived event of a session is written once, by a
 * peer the election names. When the elected emitter crashes after its claim, the next-ranked
 * involved agent takes over after the grace period — not before — and still writes one copy.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sessionIdOf } from '../../core/sessions/ids'
import { startRelay, type Relay } from '../relay'
import { until } from '../testing/until'
import { rendezvous } from './rank'
import { ChorusAgent, type ChorusAgentOptions } from './sdk'

const running: Array<{ stop(): Promise<void> }> = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).reverse().map((r) => r.stop().catch(() => {})))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-derived-'))
  dirs.push(d)
  return d
}

async function relayAt(presenceIntervalMs: number): Promise<Relay> {
  const r = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs, syncIntervalMs: 500 })
  running.push(r)
  return r
}

async function agent(relay: Relay, name: string, dataDir: string, extra: Partial<ChorusAgentOptions> = {}): Promise<ChorusAgent> {
  const a = await ChorusAgent.join({ name, relayUrl: relay.httpUrl, dataDir, invite: await relay.invite({ role: 'agent' }), syncIntervalMs: 500, ...extra })
  running.push(a)
  return a
}

const AUTH_API = { taskId: 'auth-api', repository: 'api', title: 'Define user authentication API', description: 'REST contract for signing users in and out' }
const LOGIN_PAGE = { taskId: 'login-page', repository: 'web', title: 'Build the login page', description: 'Form that calls the authentication API' }
const SESSION = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')
const DEPENDENCY_KEY = 'dependency.detected|auth-api|login-page|API_Contract'

const agreeAlways = (a: ChorusAgent) => a.on('plan', (e) => void a.reply(e.session.id, { type: 'agreement', text: `Agreed with plan v${e.version}.`, re: e.event }))

/** The events of `kind` in the relay's log, with their authors. */
const authored = (relay: Relay, kind: string) => relay.peer.host.replica.log.all().filter((e) => e.event.kind === kind).map((e) => e.event.author as string)

describe('one emitter per derived event', () => {
  it('writes each derived event of a session once, however many agents are in the room', async () => {
    const relay = await relayAt(300)
    const data = tmp()
    // A grace period far beyond any delay on this machine: a copy can only come from a broken election.
    const extra = { graceMs: 20_000 }
    const [api, web] = [await agent(relay, 'api-agent', data, extra), await agent(relay, 'web-agent', data, extra)]
    const bystanders = await Promise.all(['b1', 'b2', 'b3'].map((n) => agent(relay, n, data, extra)))
    agreeAlways(api)
    agreeAlways(web)
    await until('every member known to every peer', () => [api, web, ...bystanders].every((a) => a.state.members.size >= 6))
    // A member never heard is gone, not elected: both writers of the pair must have heard each other.
    await until('api and web heard each other', () => api.mesh.presence.status(web.peerId) === 'alive' && web.mesh.presence.status(api.peerId) === 'alive')
    await api.claim(AUTH_API)
    await web.claim(LOGIN_PAGE)
    await until('resolved at the relay', () => relay.peer.host.replica.state.sessions.get(SESSION)?.status === 'resolved', 60_000)
    // Let any late copy arrive before counting.
    await new Promise((r) => setTimeout(r, 1500))
    const involved = [api.peerId, web.peerId] as string[]
    for (const kind of ['dependency.detected', 'session.opened', 'session.resolved']) {
      const by = authored(relay, kind)
      expect(by, kind).toHaveLength(1)
      // The peers involved rank before every bystander, so one of them writes it.
      expect(involved, kind).toContain(by[0])
    }
    expect(authored(relay, 'dependency.detected')[0]).toBe(rendezvous('derived', DEPENDENCY_KEY, involved)[0])
  })

  it('takes over from an elected emitter that crashed, after the grace period, with one copy', async () => {
    // Heartbeats every second: the crashed peer stays "alive"/"suspect" (live) for the whole test.
    const relay = await relayAt(1000)
    const data = tmp()
    const graceMs = 3000
    const a = await agent(relay, 'agent-a', data, { graceMs })
    const b = await agent(relay, 'agent-b', data, { graceMs })
    await until('both members known to both', () => [a, b].every((x) => x.state.members.size >= 3))
    // Each has heard the other's heartbeats: a member never heard is gone, not elected.
    await until('each heard the other', () => a.mesh.presence.status(b.peerId) === 'alive' && b.mesh.presence.status(a.peerId) === 'alive')
    const electedId = rendezvous('derived', DEPENDENCY_KEY, [a.peerId, b.peerId])[0]
    const [elected, other] = electedId === a.peerId ? [a, b] : [b, a]
    await elected.claim(AUTH_API)
    await until('the first claim at the other agent', () => other.state.tasks.has('auth-api'))
    await elected.stop({ goodbye: false })
    running.splice(running.indexOf(elected), 1)

    const t0 = Date.now()
    await other.claim(LOGIN_PAGE)
    await until('the dependency at the relay', () => authored(relay, 'dependency.detected').length > 0, 30_000)
    const waited = Date.now() - t0
    expect(authored(relay, 'dependency.detected')).toEqual([other.peerId])
    // Not before the elected one had its grace period (the other agent saw it due on its own claim).
    expect(waited).toBeGreaterThanOrEqual(graceMs - 100)
  })
})
