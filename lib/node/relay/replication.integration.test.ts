/**
 * Replication on a real mesh: a relay (archivist, SQLite) and agents on loopback. Events
 * spread by gossip within moments, a peer that was away catches up by sync, the relay keeps
 * everything across a restart, and a non-member's events are refused everywhere.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { signEvent } from '../../core/events/codec'
import { nextEnvelope } from '../../core/log/author'
import { eventsTopic } from '../../net/topics'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '.'
import { until as waitUntil } from '../testing/until'
import { scratch } from '../testing/scratch'

const { running, tmp } = scratch('repl')
const until = (what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 20_000) => waitUntil(what, fn, timeoutMs)

async function relayAt(dataDir: string, port = 0, httpPort = 0, open = false): Promise<Relay> {
  const r = await startRelay({ dataDir, host: '127.0.0.1', port, httpPort, presenceIntervalMs: 300, syncIntervalMs: 500, open })
  running.push(r)
  return r
}

async function agent(relay: Relay, name: string, dataDir: string, invite?: string): Promise<MeshAgent> {
  const a = await startMeshAgent({ name, relayUrl: relay.httpUrl, dataDir, invite, syncIntervalMs: 500 })
  running.push(a)
  return a
}

const task = (taskId: string, repository: string, title: string) => ({ taskId, projectId: 'p', repository, title, description: '' })
const hasTask = (a: MeshAgent | Relay, id: string) => a.peer.host.replica.state.tasks.has(id)
const root = (a: MeshAgent | Relay) => a.peer.host.replica.summary().root

describe('replication over a real relay', () => {
  it('joins with an invite, spreads events by gossip, and converges every replica', async () => {
    const relay = await relayAt(tmp())
    const invite = await relay.invite({ role: 'agent' })
    const data = tmp()
    const a = await agent(relay, 'api-agent', data, invite)
    const b = await agent(relay, 'web-agent', data, invite)
    expect(await a.join()).toMatchObject({ status: 'member', role: 'agent', joinedNow: true })
    expect(await b.join()).toMatchObject({ status: 'member', role: 'agent' })

    const t0 = Date.now()
    await a.peer.author('task.claimed', task('auth-api', 'api', 'Define user authentication API'))
    await until('b to see the task', () => hasTask(b, 'auth-api'), 5000)
    const latency = Date.now() - t0
    expect(latency).toBeLessThan(5000)
    await until('all roots equal', () => root(a) === root(b) && root(b) === root(relay))
    expect(a.peer.host.replica.digest()).toBe(b.peer.host.replica.digest())
    expect(relay.peer.host.replica.digest()).toBe(a.peer.host.replica.digest())
    // A second start of the same agent knows it is a member already (from its own store).
    expect(await a.join()).toMatchObject({ status: 'member', joinedNow: false })
  })

  it('catches up a peer that was away, and keeps every event across a relay restart', async () => {
    const relayDir = tmp()
    let relay = await relayAt(relayDir)
    const invite = await relay.invite({ role: 'agent' })
    const data = tmp()
    const a = await agent(relay, 'writer', data, invite)
    await a.join()
    let b = await agent(relay, 'sleeper', data, invite)
    await b.join()
    await b.stop()
    running.splice(running.indexOf(b), 1)

    for (let i = 0; i < 20; i++) await a.peer.author('task.claimed', task(`t${i}`, `repo-${i % 3}`, `Task ${i}`))
    b = await agent(relay, 'sleeper', data)
    expect(b.peer.loaded).toBeGreaterThan(0)
    // The replica holds a batch before its write completes; the round counts it once stored.
    await until('sleeper to catch up by sync', () => hasTask(b, 't19') && root(b) === root(a) && b.peer.sync.stats.eventsAdded >= 20)

    // The relay restarts from its data directory: same room, every event still there.
    const before = relay.peer.host.replica.log.size
    const port = Number(relay.info().relay.addrs[0].split('/')[4])
    const httpPort = Number(new URL(relay.httpUrl).port)
    await relay.stop()
    running.splice(running.indexOf(relay), 1)
    relay = await relayAt(relayDir, port, httpPort)
    expect(relay.peer.loaded).toBe(before)
    expect(relay.peer.host.replica.log.size).toBe(before)
    expect(hasTask(relay, 't19')).toBe(true)
    // And it still gossips: a new event reaches it and the other agent.
    await until('agents to reconnect', () => relay.node.getPeers().length >= 2, 20_000)
    await a.peer.author('task.claimed', task('after-restart', 'api', 'Written after the restart'))
    await until('event after restart everywhere', () => hasTask(relay, 'after-restart') && hasTask(b, 'after-restart'))
  })

  it('admits anyone as a reviewer in an open room, and no one without an invite in a closed one', async () => {
    const open = await relayAt(tmp(), 0, 0, true)
    expect(open.info().open).toBe(true)
    const visitor = await agent(open, 'visitor', tmp())
    expect(await visitor.join()).toMatchObject({ status: 'member', role: 'reviewer', joinedNow: true })

    const closed = await relayAt(tmp())
    const stranger = await agent(closed, 'stranger', tmp())
    expect(await stranger.join()).toMatchObject({ status: 'guest' })
    const otherRoom = await open.invite({ role: 'agent' })
    const wrong = await agent(closed, 'wrong-invite', tmp(), otherRoom)
    await expect(wrong.join()).rejects.toThrow(/this invite is for room/)
  })

  it("refuses a non-member's events on every honest peer", async () => {
    const relay = await relayAt(tmp())
    const invite = await relay.invite({ role: 'agent' })
    const data = tmp()
    const member = await agent(relay, 'member', data, invite)
    await member.join()
    const guest = await agent(relay, 'guest', data)
    expect(await guest.join()).toMatchObject({ status: 'guest' })
    // Its own log refuses to author for a non-member …
    await expect(guest.peer.author('task.claimed', task('sneaky', 'api', 'I am not a member'))).rejects.toThrow(/not_member/)
    // … so it signs the event by hand and puts it on the wire anyway.
    const log = guest.peer.host.replica.log
    const forged = await signEvent(nextEnvelope(log, guest.peer.signer, 'task.claimed', task('sneaky', 'api', 'I am not a member'), Date.now()), guest.peer.signer)
    await until('guest to hear the relay on the events topic', () => guest.node.services.pubsub.getSubscribers(eventsTopic(relay.info().room)).length > 0)
    expect(await guest.peer.gossip.publish(forged.bytes)).toBeGreaterThan(0)
    await until('relay to reject it as not a member', () => relay.peer.host.replica.log.stats().not_member >= 1)
    await member.peer.author('task.claimed', task('honest', 'api', 'A member writes'))
    await until('honest event at the member', () => hasTask(member, 'honest') && hasTask(relay, 'honest'))
    expect(hasTask(relay, 'sneaky')).toBe(false)
    expect(hasTask(member, 'sneaky')).toBe(false)
    expect(relay.peer.host.replica.log.has(forged.id)).toBe(false)
  })
})
