/**
 * An agent takes the room's gossip from one of its two relays and keeps the other on standby
 * (ADR 0029), on loopback with two real relays and two agents: each agent's gossip mesh holds
 * exactly one relay while both stay connected, events still reach every agent, and when an
 * agent's mesh relay stops the standby takes its place and carries the next event. Sync rounds
 * are a minute apart here, so what arrives comes by gossip. The standby relay leaves its
 * standby agents alone (lib/net/relays/hub.ts): no IHAVE, no new GRAFT after their refusal.
 */
import { describe, expect, it } from 'vitest'
import { eventsTopic } from '../../net/topics'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay, type RelayOptions } from '../relay'
import { scratch } from '../testing/scratch'
import { until } from '../testing/until'

const { running, tmp } = scratch('standby')

async function relay(extra: Partial<RelayOptions> = {}): Promise<Relay> {
  const r = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 60_000, onLog: () => {}, ...extra })
  running.push(r)
  return r
}

const task = (taskId: string) => ({ taskId, projectId: 'p', repository: 'lab', title: `Lab note ${taskId}`, description: '' })

/** The relays in the agent's gossip mesh on the events topic. */
function meshRelays(agent: MeshAgent, relays: Relay[]): string[] {
  const mesh = (agent.node.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(eventsTopic(agent.room.room))
  const ids = relays.map((r) => r.node.peerId.toString())
  return mesh.filter((p) => ids.includes(p))
}

describe('an agent keeps one relay in its gossip mesh and the other on standby', () => {
  it('meshes with one relay while holding two, and fails over to the standby when that relay stops', async () => {
    const r1 = await relay()
    const r2 = await relay({ join: [r1.httpUrl], invite: await r1.invite({ role: 'admin', maxUses: 5 }) })
    const relays = [r1, r2]
    const invite = await r1.invite({ role: 'agent', maxUses: 5 })
    const agents: MeshAgent[] = []
    for (const name of ['writer', 'reader']) {
      const a = await startMeshAgent({ name, relayUrl: `${r1.httpUrl},${r2.httpUrl}`, dataDir: tmp(), invite, syncIntervalMs: 60_000 })
      running.push(a)
      await a.join()
      agents.push(a)
    }
    const [writer, reader] = agents
    for (const [k, a] of agents.entries()) {
      await until(`agent ${k} to hold both relays with one in its mesh`, () => a.relays.connected().length === 2 && meshRelays(a, relays).length === 1, 30_000)
    }
    // The relays keep grafting their standbys (their meshes are small) and are refused: the
    // agent's mesh never holds both.
    const deadline = Date.now() + 3000
    while (Date.now() < deadline) {
      for (const a of agents) {
        expect(meshRelays(a, relays)).toHaveLength(1)
        expect(a.relays.connected()).toHaveLength(2)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    const [meshOfReader] = meshRelays(reader, relays)
    expect(reader.standby.meshRelay()).toBe(meshOfReader)
    const standbyOfReader = relays.find((r) => r.node.peerId.toString() !== meshOfReader) as Relay
    expect(reader.standby.isStandby(standbyOfReader.node.peerId.toString())).toBe(true)

    await writer.peer.author('task.claimed', task('while-both'))
    await until('the reader to receive a write while both relays run', () => reader.peer.host.replica.state.tasks.has('while-both'), 15_000)

    // The reader's mesh relay stops: the standby joins its mesh and carries the next write.
    const stopped = relays.find((r) => r.node.peerId.toString() === meshOfReader) as Relay
    await stopped.stop()
    const standbyId = standbyOfReader.node.peerId.toString()
    await until('the standby to join the reader\'s mesh', () => meshRelays(reader, relays).includes(standbyId), 30_000)
    expect(reader.standby.isStandby(standbyId)).toBe(false)
    await writer.peer.author('task.claimed', task('after-failover'))
    await until('the reader to receive a write through the former standby', () => reader.peer.host.replica.state.tasks.has('after-failover'), 15_000)
  }, 120_000)

  it('a standby relay sends its standby agent no IHAVE and no GRAFT once refused', async () => {
    const r1 = await relay()
    const r2 = await relay({ join: [r1.httpUrl], invite: await r1.invite({ role: 'admin', maxUses: 5 }) })
    const relays = [r1, r2]
    const invite = await r1.invite({ role: 'agent', maxUses: 5 })
    const agents: MeshAgent[] = []
    for (const name of ['first', 'second', 'third']) {
      const a = await startMeshAgent({ name, relayUrl: `${r1.httpUrl},${r2.httpUrl}`, dataDir: tmp(), invite, syncIntervalMs: 60_000 })
      running.push(a)
      await a.join()
      agents.push(a)
    }
    for (const [k, a] of agents.entries()) {
      await until(`agent ${k} to hold both relays with one in its mesh`, () => a.relays.connected().length === 2 && meshRelays(a, relays).length === 1, 30_000)
    }
    // What each agent receives from its standby relay: IHAVEs, GRAFTs, and messages forwarded
    // to it as to a mesh peer (its own flood-published ones aside, a relay's own beats aside).
    const fromStandby = agents.map(() => ({ ihave: 0, graft: 0 }))
    agents.forEach((a, k) => {
      const g = a.node.services.pubsub as unknown as { handleReceivedRpc(from: { toString(): string }, rpc: { control?: { ihave?: unknown[]; graft?: unknown[] } }): Promise<void> }
      const handle = g.handleReceivedRpc.bind(g)
      g.handleReceivedRpc = (from, rpc) => {
        if (a.standby.isStandby(from.toString())) {
          fromStandby[k].ihave += rpc.control?.ihave?.length ?? 0
          fromStandby[k].graft += rpc.control?.graft?.length ?? 0
        }
        return handle(from, rpc)
      }
    })
    // Presence beats every 500 ms keep message ids in every relay's gossip window, and each
    // relay's mesh (two agents at most) is under its low-water mark of 32: gossipsub alone
    // would send each standby agent an IHAVE every second and graft it again after the
    // agent's 10 s prune backoff.
    await new Promise((r) => setTimeout(r, 13_000))
    expect(fromStandby).toEqual(agents.map(() => ({ ihave: 0, graft: 0 })))
    for (const a of agents) expect(meshRelays(a, relays)).toHaveLength(1)
  }, 120_000)
})
