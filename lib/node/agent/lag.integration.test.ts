/**
 * How far behind the room an agent thinks it is, on a real mesh (relay and two agents, libp2p on
 * loopback): the reader's clock jumps a minute ahead, so every event the writer writes
 * looks a minute old to it. In a quiet room nothing newer arrives to show the reader has caught up;
 * a sync round that finds the relay holding nothing the reader lacks must.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventId } from '../../core/ids'
import { startRelay, type Relay } from '../relay'
import { until } from '../testing/until'
import { startMeshAgent, type MeshAgent } from './mesh-agent'

let dir: string
let relay: Relay
let writer: MeshAgent
let reader: MeshAgent
/** The reader's wall clock: the real one plus this (it joins on time, then its clock jumps ahead). */
let fastBy = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-lag-'))
  relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 500 })
  const invite = await relay.invite({ role: 'agent', maxUses: 2 })
  writer = await startMeshAgent({ name: 'writer', relayUrl: relay.httpUrl, dataDir: join(dir, 'writer'), invite, syncIntervalMs: 500 })
  reader = await startMeshAgent({ name: 'reader', relayUrl: relay.httpUrl, dataDir: join(dir, 'reader'), invite, syncIntervalMs: 500, now: () => Date.now() + fastBy })
  await writer.join()
  await reader.join()
}, 120_000)

afterAll(async () => {
  for (const a of [reader, writer]) await a?.stop().catch(() => {})
  await relay?.stop().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
})

describe('an agent behind the room', () => {
  it('stops counting itself behind once a sync round finds it holds all the relay has', async () => {
    await until('the reader to hear the writer', () => reader.peer.host.replica.state.members.has(writer.peer.signer.peerId as never), 30_000)
    fastBy = 60_000
    const e = await writer.peer.author('task.claimed', { taskId: 't-1', projectId: 'p', repository: 'acme/api', title: 'Task 1', description: '' })
    await until('the claim at the reader', () => reader.peer.host.replica.log.has(e.id as EventId), 60_000)
    const stored = Date.now()
    // The claim alone would keep the reader a minute behind for a minute; equal rounds run every 500 ms.
    await until('the reader to count itself caught up', () => reader.peer.host.lagMs < 5000, 45_000)
    expect(Date.now() - stored).toBeLessThan(50_000)
  }, 180_000)
})
