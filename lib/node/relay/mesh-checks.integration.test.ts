/**
 * Mesh checks on a real mesh (loopback, real libp2p): many writers converge; a late node
 * catches up thousands of events by sync; two partitions that wrote on both sides heal with
 * nothing lost; a relay killed with SIGKILL keeps every event it acknowledged.
 */
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventId } from '../../core/ids'
import { openSqliteStore } from '../../storage/sqlite-store'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '.'
import { until as waitUntil } from '../testing/until'
import { scratch } from '../testing/scratch'
import { freePorts, startRelayProcess } from '../testing/relay-process'

const { running, tmp } = scratch('checks')
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

const until = (what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 60_000) => waitUntil(what, fn, timeoutMs)

type Peer = MeshAgent | Relay
const replica = (p: Peer) => p.peer.host.replica
const converged = (peers: Peer[]) => new Set(peers.map((p) => replica(p).summary().root)).size === 1 && new Set(peers.map((p) => replica(p).digest())).size === 1
const task = (id: string, i: number) => ({ taskId: id, projectId: 'p', repository: `repo-${i % 5}`, title: `Task ${id}`, description: '' })

async function agent(relayUrl: string, name: string, dataDir: string, invite?: string): Promise<MeshAgent> {
  const a = await startMeshAgent({ name, relayUrl, dataDir, invite, syncIntervalMs: 1000, synchronous: 'NORMAL' })
  running.push(a)
  if (invite != null) expect(await a.join()).toMatchObject({ status: 'member' })
  return a
}

/** Authors `n` tasks as the agent through the normal path (durable, then published). */
async function write(a: MeshAgent, prefix: string, n: number): Promise<EventId[]> {
  const ids: EventId[] = []
  for (let i = 0; i < n; i++) ids.push((await a.peer.author('task.claimed', task(`${prefix}-${i}`, i))).id)
  return ids
}

describe('mesh checks', () => {
  it('three agents publish 200 events each and every node converges; a late fourth catches up thousands by sync', async () => {
    const relay = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 1000 })
    running.push(relay)
    const invite = await relay.invite({ role: 'agent' })
    const data = tmp()
    const agents = [await agent(relay.httpUrl, 'a1', data, invite), await agent(relay.httpUrl, 'a2', data, invite), await agent(relay.httpUrl, 'a3', data, invite)]
    const written = (await Promise.all(agents.map((a, i) => write(a, `w${i}`, 200)))).flat()
    const t0 = Date.now()
    await until('all four replicas equal', () => converged([relay, ...agents]), 60_000)
    console.log(`600 events from 3 writers: converged ${Date.now() - t0} ms after the last write`)
    for (const p of [relay, ...agents]) expect(written.every((id) => replica(p).log.has(id))).toBe(true)

    // Grow the room past 5,000 events and ~9 MB (more than libp2p buffers for a stream that
    // is not being read, so sync's flow control is exercised), then a newcomer catches up by
    // sync alone.
    const bulk = agents[0]
    for (let i = 0; i < 4500; i++) await bulk.peer.host.replica.author(bulk.peer.signer, 'task.claimed', { ...task(`bulk-${i}`, i), description: 'd'.repeat(1500) })
    await bulk.peer.host.ingest([]) // one durable write for the whole batch
    await until('the relay to hold the bulk', () => replica(relay).log.size >= 5000, 120_000)
    const late = await agent(relay.httpUrl, 'late', tmp(), invite)
    const t1 = Date.now()
    await until('the late node to catch up', () => replica(late).log.size >= replica(relay).log.size && converged([relay, late]), 120_000)
    console.log(`late node caught up ${replica(late).log.size} events in ${Date.now() - t1} ms (${late.peer.sync.stats.eventsAdded} by sync)`)
    expect(replica(late).log.size).toBeGreaterThanOrEqual(5000)
    expect(late.peer.sync.stats.eventsAdded).toBeGreaterThanOrEqual(4500)
  }, 300_000)

  it('two partitions that wrote on both sides heal to equal digests with nothing lost', async () => {
    const dirA = tmp()
    const relayA = await startRelay({ dataDir: dirA, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 1000 })
    running.push(relayA)
    const invite = await relayA.invite({ role: 'agent' })
    // A second relay for the same room: a copy of the first one's store, its own identity.
    const dirB = tmp()
    const copy = await openSqliteStore({ dataDir: dirB })
    const room = relayA.info().room
    await copy.putMany(room, await relayA.store.loadAll(room))
    await copy.setMeta(room, 'served', 'yes')
    await copy.close()
    const relayB = await startRelay({ dataDir: dirB, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 1000 })
    running.push(relayB)
    expect(relayB.info().room).toBe(room)

    const data = tmp()
    const a = await agent(relayA.httpUrl, 'side-a', data, invite)
    const b = await agent(relayB.httpUrl, 'side-b', data, invite)
    const fromA = await write(a, 'a', 30)
    const fromB = await write(b, 'b', 30)
    await until('each side converged on its own', () => converged([relayA, a]) && converged([relayB, b]))
    expect(replica(a).log.has(fromB[0])).toBe(false)
    expect(replica(b).log.has(fromA[0])).toBe(false)

    // Heal: the relays meet. Anti-entropy carries each side's writes to the other.
    await relayA.node.dial(relayB.node.getMultiaddrs()[0])
    await until('all four equal after the heal', () => converged([relayA, relayB, a, b]))
    for (const p of [relayA, relayB, a, b]) expect([...fromA, ...fromB].every((id) => replica(p).log.has(id))).toBe(true)
  }, 180_000)

  it('a relay killed with SIGKILL while agents publish keeps every event it acknowledged', async () => {
    const dir = tmp()
    const [port, httpPort] = await freePorts(2)
    const start = () => startRelayProcess(dir, `http://127.0.0.1:${httpPort}`, ['--port', String(port), '--http-port', String(httpPort), '--presence-interval', '500']).then((p) => {
      children.push(p.child)
      return { child: p.child, invite: p.invites.agent }
    })
    let proc = await start()
    const url = `http://127.0.0.1:${httpPort}`
    const data = tmp()
    const agents = [await agent(url, 'k1', data, proc.invite), await agent(url, 'k2', data, proc.invite)]

    const acked: EventId[] = []
    const writing = agents.map(async (a, i) => {
      for (let n = 0; n < 120; n++) {
        acked.push((await a.peer.author('task.claimed', task(`k${i}-${n}`, n))).id)
        await new Promise((r) => setTimeout(r, 15))
      }
    })
    await until('some events through the relay', () => agents.every((a) => replica(a).log.size > 40))
    // Every event an agent received from the *other* agent went through the relay, which
    // forwards only what it has stored (committed, relaxed or not): all of those must survive
    // the kill of its process.
    proc.child.kill('SIGKILL')
    await new Promise<void>((r) => proc.child.once('exit', () => r()))
    const forwarded = agents.flatMap((a, i) => replica(a).log.all().filter((e) => e.event.author === agents[1 - i].peer.signer.peerId).map((e) => e.id))
    expect(forwarded.length).toBeGreaterThan(0)
    const store = await openSqliteStore({ dataDir: dir })
    const room = (await store.rooms())[0]
    const survived = (await Promise.all(forwarded.map((id) => store.has(room, id)))).filter(Boolean).length
    await store.close()
    expect(survived).toBe(forwarded.length)

    // Restarted from its data directory, it catches up on what the agents wrote meanwhile.
    proc = await start()
    await Promise.all(writing)
    await until('the restarted relay to hold every acknowledged event', async () => {
      const info = await (await fetch(`${url}/api/room`)).json()
      // The genesis and the two joins, plus every acknowledged task.
      return info.events >= acked.length + 3 && agents.every((a) => acked.every((id) => replica(a).log.has(id)))
    }, 90_000)
  }, 240_000)
})
