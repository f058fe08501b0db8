/**
 * An agent reads the room once per run of its loop, on a real mesh (a relay, two writers and
 * the agent under test on loopback): its reports to listeners and its duties read the folded
 * state in one pass, and presence never reads it, so a stream of late events — each of which
 * owes the fold a replay — costs at most one replay per run, not one per reader.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EncodedEvent } from '../../core/events/envelope'
import type { RoomId } from '../../core/ids'
import { Replica } from '../../core/state/replica'
import { libp2pVerifier } from '../../net/keys'
import { startRelay } from '../relay'
import { until } from '../testing/until'
import { startMeshAgent } from './mesh-agent'
import { ChorusAgent } from './sdk'

const running: Array<{ stop(): Promise<void> }> = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).reverse().map((r) => r.stop().catch(() => {})))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Tasks of one repository: no pair of them is a dependency, so the agent authors nothing. */
const task = (id: string) => ({ taskId: id, projectId: 'p', repository: 'acme/api', title: `Task ${id}`, description: '' })

const GAP_MS = 1000
const LATE = 30
const EVERY_MS = 200

describe('an agent under late events', () => {
  it('replays its fold at most once per run of its loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-agent-reads-'))
    dirs.push(dir)
    const relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 500 })
    running.push(relay)
    const invite = await relay.invite({ role: 'agent', maxUses: 3 })
    const writers = []
    for (const name of ['writer', 'late']) {
      const w = await startMeshAgent({ name, relayUrl: relay.httpUrl, dataDir: join(dir, name), invite, syncIntervalMs: 500 })
      running.push(w)
      await w.join()
      writers.push(w)
    }
    const [writer, late] = writers
    const agent = await ChorusAgent.join({ name: 'agent', relayUrl: relay.httpUrl, dataDir: dir, invite, planner: false, dutyGapMs: GAP_MS, syncIntervalMs: 500 })
    running.push(agent)
    // A listener, as every scripted agent has: reports read the room.
    agent.on('message', () => {})
    const replica = agent.mesh.peer.host.replica
    await until('the agent knows both writers', () => replica.state.members.size >= 4, 30_000)

    // The late writer's next events, signed now with the room's Lamport clock of now and held
    // back; by the time they arrive the room has moved far ahead, so each one folds late.
    const shadow = new Replica({ room: relay.peer.host.room as RoomId, verifier: libp2pVerifier() })
    for (const e of late.peer.host.replica.log.all()) await shadow.add(e.bytes)
    const held: EncodedEvent[] = []
    for (let i = 0; i < LATE; i++) held.push(await shadow.author(late.peer.signer, 'task.claimed', task(`late-${i}`)))
    for (let i = 0; i < 60; i++) await writer.peer.author('task.claimed', task(`ahead-${i}`))
    await until('the agent has the writer’s events', () => replica.state.tasks.has(`ahead-59`), 30_000)

    const before = replica.rewindCount
    const t0 = performance.now()
    for (let i = 0; i < LATE; i++) {
      await late.peer.gossip.publish(held[i].bytes)
      await writer.peer.author('task.claimed', task(`more-${i}`))
      await new Promise((r) => setTimeout(r, EVERY_MS))
    }
    // Polled on the log, not the state: a read of the state would run a replay of its own.
    await until('every late event at the agent', () => held.every((e) => replica.log.has(e.id)), 30_000)
    const ms = performance.now() - t0
    const rewinds = replica.rewindCount - before
    // Late events arrived before runs, so the fold did replay …
    expect(rewinds).toBeGreaterThanOrEqual(3)
    // … but once per run at most (runs start GAP_MS apart), plus the two reads of this test.
    expect(rewinds).toBeLessThanOrEqual(ms / GAP_MS + 3)
  }, 120_000)
})
