/**
 * The escalation webhook against a real HTTP receiver: each request for a human is POSTed once
 * (retried after a failure, not repeated on later state changes or by a restarted relay that
 * kept its marks), with a Slack-compatible `text` carrying the figures.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { dependencySession, planFor, replicaRoom } from '../../core/testing/replica'
import { until } from '../testing/until'
import { Replica } from '../../core/state/replica'
import { testVerifier } from '../../core/testing/ed25519'
import { EscalationWebhook, requestKey } from './webhook'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

async function receiver() {
  const got: Array<{ body: { type: string; text: string; request: { id: string; kind: string } }; key: string }> = []
  let failures = 0
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      if (failures++ === 0) return res.writeHead(503).end()
      got.push({ body: JSON.parse(raw), key: String(req.headers['idempotency-key']) })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  closers.push(() => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got }
}

describe('escalation webhook', () => {
  it('posts each new request once, with a Slack-compatible text, retried after a failure and not repeated after a restart', async () => {
    const room = await replicaRoom({ escalationThreshold: 2 })
    const { ann, bob, session } = await dependencySession(room)
    await room.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page') })
    for (const n of [1, 2, 3]) await room.replica.author(bob, 'session.message', { session, type: 'concern', text: `concern ${n}` })
    await room.emitDue(ann)

    const r = await receiver()
    const meta = new Map<string, string>()
    const store = { getMeta: async (_room: string, k: string) => meta.get(k), setMeta: async (_room: string, k: string, v: string) => void meta.set(k, v) }
    const init = { url: r.url, room: 'room-1', store, state: () => room.replica.state, backoffMs: 20, appUrl: 'http://127.0.0.1:3000' }
    const hook = new EscalationWebhook(init)
    hook.kick()
    hook.kick()
    await until('one delivery, marked', () => r.got.length === 1 && meta.size === 1, 10_000)
    expect(r.got[0].body).toMatchObject({ type: 'chorus.request', request: { kind: 'escalation' } })
    expect(r.got[0].body.text).toBe('Escalated: the agents hit the message limit (3 messages, limit 2): Define user authentication API ↔ Implement login page http://127.0.0.1:3000/inbox')
    expect(r.got[0].key).toBe(`room-1/${requestKey(r.got[0].body.request as never)}`)

    // More activity on the same escalation, and a restarted relay with the same marks: nothing new.
    await room.replica.author(bob, 'session.message', { session, type: 'concern', text: 'still' })
    hook.kick()
    const again = new EscalationWebhook(init)
    again.kick()
    await new Promise((ok) => setTimeout(ok, 300))
    expect(r.got.map((g) => g.body.text)).toHaveLength(1)
    hook.stop()
    again.stop()
  })

  it('posts once when two agents escalate one session at once, whichever escalation the fold keeps', async () => {
    const room = await replicaRoom()
    const { ann, bob, session } = await dependencySession(room)
    await room.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page') })
    // Each agent asks for a human on a replica of its own, before hearing of the other's request.
    const fork = async () => {
      const x = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
      for (const e of room.replica.log.all()) await x.add(e)
      return x
    }
    const asks = await Promise.all(
      [ann, bob].map(async (who) => (await fork()).author(who, 'session.escalated', { session, reason: 'requested', note: `${who.peerId.slice(-4)} asks` })),
    )
    // The fold keeps one of the two escalations: deliver the other first, so the kept one arrives second.
    const probe = await fork()
    for (const a of asks) await probe.add(a)
    const kept = probe.state.sessions.get(session)!.escalation!.event
    const [first, second] = kept === asks[0].id ? [asks[1], asks[0]] : [asks[0], asks[1]]

    const relay = await fork()
    await relay.add(first)
    const r = await receiver()
    const meta = new Map<string, string>()
    const store = { getMeta: async (_room: string, k: string) => meta.get(k), setMeta: async (_room: string, k: string, v: string) => void meta.set(k, v) }
    const hook = new EscalationWebhook({ url: r.url, room: 'room-1', store, state: () => relay.state, backoffMs: 20 })
    hook.kick()
    await until('the request delivered', () => r.got.length === 1 && meta.size === 1, 10_000)
    await relay.add(second)
    expect(relay.state.sessions.get(session)!.escalation!.event).toBe(second.id)
    hook.kick()
    await new Promise((ok) => setTimeout(ok, 300))
    expect(r.got.map((g) => g.body.request.kind)).toEqual(['approval'])
    hook.stop()
  })
})
