/**
 * Agents that listen mesh with each other directly, on loopback: two agents started with
 * `listen` (one TCP, one WebSockets) learn each other's addresses through the room, connect
 * directly, and keep exchanging events after their only relay is stopped; an agent that does
 * not listen is not dialled and stays cut off.
 */
import { describe, expect, it } from 'vitest'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '../relay'
import { scratch } from '../testing/scratch'
import { until } from '../testing/until'

const { running, tmp } = scratch('direct')

const task = (taskId: string) => ({ taskId, projectId: 'p', repository: 'lab', title: `Lab note ${taskId}`, description: '' })
const has = (a: MeshAgent, taskId: string) => a.peer.host.replica.state.tasks.has(taskId)

describe('agents that listen mesh directly', () => {
  it('two listening agents find each other through the room and still exchange events once their relay is stopped', async () => {
    const relay: Relay = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500, onLog: () => {} })
    running.push(relay)
    const invite = await relay.invite({ role: 'agent', maxUses: 5 })
    const agent = async (name: string, listen?: string[]) => {
      const a = await startMeshAgent({ name, relayUrl: relay.httpUrl, dataDir: tmp(), invite, syncIntervalMs: 500, announceMs: 500, listen })
      running.push(a)
      expect((await a.join()).status).toBe('member')
      return a
    }
    const tcp = await agent('tcp-agent', ['/ip4/127.0.0.1/tcp/0'])
    const ws = await agent('ws-agent', ['/ip4/127.0.0.1/tcp/0/ws'])
    const mute = await agent('mute-agent')
    const id = (a: MeshAgent) => a.node.peerId.toString()

    await until('the listening agents to hold a direct connection', () => tcp.direct!.peers().includes(id(ws)) && ws.direct!.peers().includes(id(tcp)), 60_000)
    // Before the relay goes: everyone has everything, so what follows is news.
    await tcp.peer.author('task.claimed', task('before'))
    await until('every agent to have the first write', () => [ws, mute].every((a) => has(a, 'before')), 30_000)
    expect(mute.direct).toBeUndefined()
    expect(tcp.direct!.peers()).not.toContain(id(mute))

    await relay.stop()
    await until('the agents to lose the relay', () => [tcp, ws, mute].every((a) => a.relays.connected().length === 0), 30_000)

    await tcp.peer.author('task.claimed', task('from-tcp'))
    await ws.peer.author('task.claimed', task('from-ws'))
    await until('each listening agent to receive the other one\'s write with no relay', () => has(ws, 'from-tcp') && has(tcp, 'from-ws'), 30_000)
    expect(tcp.peer.host.replica.summary().root).toBe(ws.peer.host.replica.summary().root)
    // The agent that does not listen had no way to them: it has neither write.
    expect(has(mute, 'from-tcp') || has(mute, 'from-ws')).toBe(false)
  }, 180_000)
})
