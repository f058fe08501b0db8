/**
 * Presence on a real mesh: a relay and two agents on loopback, real libp2p and gossipsub.
 * An agent that crashes (no goodbye) goes suspect then dead for the other; when it comes back
 * with the same identity it is alive again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { until } from '../testing/until'
import { startRelay, type Relay } from '.'

const INTERVAL = 200
const running: Array<{ stop(): Promise<void> }> = []
let dataDir: string

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop().catch(() => {})))
  rmSync(dataDir, { recursive: true, force: true })
})

const statusOf = (observer: MeshAgent, peerId: string) =>
  observer.presence.snapshot().peers.find((p) => p.peerId === peerId)?.status

describe('presence over a real relay', () => {
  it('marks a crashed agent suspect then dead, and alive again when it returns', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chorus-presence-'))
    const relay: Relay = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: INTERVAL })
    running.push(relay)
    // Presence counts members only: both agents join.
    const invite = await relay.invite({ role: 'agent', maxUses: 2 })
    const watcher = await startMeshAgent({ name: 'watcher', relayUrl: relay.httpUrl, dataDir, invite })
    running.push(watcher)
    let flaky = await startMeshAgent({ name: 'flaky', relayUrl: relay.httpUrl, dataDir, invite })
    const flakyId = flaky.node.peerId.toString()
    await watcher.join()
    await flaky.join()

    await until('watcher to see flaky alive', () => statusOf(watcher, flakyId) === 'alive')
    const row = watcher.presence.snapshot().peers.find((p) => p.peerId === flakyId)!
    expect(row).toMatchObject({ name: 'flaky', kind: 'agent', role: 'agent' })
    await until('watcher to see the relay', () => watcher.presence.snapshot().peers.find((p) => p.kind === 'relay')?.transport === 'websocket')

    // Crash: the node stops without the goodbye that a clean presence.stop() would send.
    await flaky.node.stop()
    await until('flaky to become suspect', () => statusOf(watcher, flakyId) === 'suspect')
    await until('flaky to become dead', () => statusOf(watcher, flakyId) === 'dead')

    // Same name → same key file → same peer id, heard again.
    flaky = await startMeshAgent({ name: 'flaky', relayUrl: relay.httpUrl, dataDir })
    running.push(flaky)
    expect(flaky.node.peerId.toString()).toBe(flakyId)
    await until('flaky to be alive again', () => statusOf(watcher, flakyId) === 'alive')
  })

  it('marks a cleanly stopped agent as left, not dead', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chorus-presence-'))
    const relay = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: INTERVAL })
    running.push(relay)
    const invite = await relay.invite({ role: 'agent', maxUses: 2 })
    const watcher = await startMeshAgent({ name: 'watcher', relayUrl: relay.httpUrl, dataDir, invite })
    running.push(watcher)
    const leaver = await startMeshAgent({ name: 'leaver', relayUrl: relay.httpUrl, dataDir, invite })
    const id = leaver.node.peerId.toString()
    await watcher.join()
    await leaver.join()
    await until('leaver alive', () => statusOf(watcher, id) === 'alive')
    await leaver.stop()
    await until('leaver left', () => statusOf(watcher, id) === 'left')
  })

  it('serves room info, health and metrics over HTTP', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chorus-presence-'))
    const relay = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: INTERVAL })
    running.push(relay)
    const room = await (await fetch(`${relay.httpUrl}/api/room`)).json()
    expect(room.room).toBe(relay.info().room)
    expect(room.open).toBe(false)
    expect(room.events).toBe(1)
    expect(room.relay.peerId).toBe(relay.node.peerId.toString())
    expect(room.relay.addrs[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/12D3KooW/)
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200)
    expect((await fetch(`${relay.httpUrl}/readyz`)).status).toBe(200)
    expect((await fetch(`${relay.httpUrl}/nope`)).status).toBe(404)
    const agent = await startMeshAgent({ name: 'counted', relayUrl: relay.httpUrl, dataDir })
    running.push(agent)
    await until('relay to count the agent', () => relay.node.getPeers().length === 1)
    expect(await (await fetch(`${relay.httpUrl}/metrics`)).text()).toMatch(/^chorus_peers_connected 1$/m)
  })

  it('keeps its identity and room across restarts', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chorus-presence-'))
    const first = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: INTERVAL })
    const id = first.node.peerId.toString()
    const room = first.info().room
    expect(first.roomCreated).toBe(true)
    await first.stop()
    const second = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: INTERVAL })
    running.push(second)
    expect(second.node.peerId.toString()).toBe(id)
    expect(second.info().room).toBe(room)
    expect(second.roomCreated).toBe(false)
  })
})
