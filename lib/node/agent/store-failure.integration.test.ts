/**
 * A store that fails its writes (disk full), on a real mesh (a relay and two agents, libp2p on
 * loopback): the process keeps running, the author is told, an authored event that was not
 * stored is never published nor served, and what a relay could not store is written later.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EventId } from '../../core/ids'
import type { EventStore } from '../../storage/event-store'
import { startRelay, type Relay } from '../relay'
import { until } from '../testing/until'
import { startMeshAgent, type MeshAgent } from './mesh-agent'

let dir: string
let relay: Relay
let alice: MeshAgent
let bob: MeshAgent
const task = (taskId: string) => ({ taskId, projectId: 'p', repository: 'acme/api', title: `Task ${taskId}`, description: '' })
/** The store a peer writes to (private to its host: a test reaches in to make it fail). */
const storeOf = (a: MeshAgent) => (a.peer.host as unknown as { store: EventStore }).store

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-store-failure-'))
  relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 500 })
  const invite = await relay.invite({ role: 'agent', maxUses: 2 })
  alice = await startMeshAgent({ name: 'alice', relayUrl: relay.httpUrl, dataDir: join(dir, 'alice'), invite, syncIntervalMs: 500 })
  bob = await startMeshAgent({ name: 'bob', relayUrl: relay.httpUrl, dataDir: join(dir, 'bob'), invite, syncIntervalMs: 500 })
  await alice.join()
  await bob.join()
}, 120_000)

afterAll(async () => {
  vi.restoreAllMocks()
  for (const a of [alice, bob]) await a?.stop().catch(() => {})
  await relay?.stop().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
})

describe('a store that fails its writes', () => {
  it("an author's failed write: it is told, the event is neither published nor served, and its next event goes through", async () => {
    await until('both joins at the relay', () => relay.peer.host.replica.state.members.size === 3, 30_000)
    const before = relay.peer.host.replica.log.size
    vi.spyOn(storeOf(alice), 'putMany').mockRejectedValueOnce(new Error('disk full'))
    await expect(alice.peer.author('task.claimed', task('lost'))).rejects.toThrow('disk full')
    expect(alice.peer.host.replica.state.tasks.has('lost')).toBe(false)
    // Several sync rounds later (every 500 ms), nobody has it.
    await new Promise((r) => setTimeout(r, 3000))
    for (const p of [relay.peer, bob.peer]) expect(p.host.replica.state.tasks.has('lost')).toBe(false)
    expect(relay.peer.host.replica.log.size).toBe(before)
    const next = await alice.peer.author('task.claimed', task('kept'))
    await until('the next claim everywhere', () => [relay.peer, bob.peer].every((p) => p.host.replica.log.has(next.id as EventId)), 30_000)
    expect(next.event.seq).toBe(alice.peer.host.replica.log.latestOf(next.event.author)!.event.seq)
  }, 60_000)

  it("the relay's failed writes: it keeps answering, and writes what it could not store once the disk takes writes again", async () => {
    const fail = vi.spyOn(relay.store, 'putMany').mockRejectedValue(new Error('disk full'))
    const e = await bob.peer.author('task.claimed', task('through-a-full-disk'))
    await until('the relay to have tried', () => fail.mock.calls.length > 0, 30_000)
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200)
    fail.mockRestore()
    await until('the relay to store it after all', async () => (await relay.store.get(relay.peer.host.room, e.id)) != null, 30_000)
    await until('alice to have it', () => alice.peer.host.replica.log.has(e.id as EventId), 30_000)
  }, 60_000)
})
