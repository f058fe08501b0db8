/**
 * Agents that listen mesh with each other directly, on loopback: two agents started with
 * `listen` (one TCP, one WebSockets) learn each other's addresses through the room, connect
 * directly, and keep exchanging events after their only relay is stopped; an agent that does
 * not listen dials them (nobody can dial it) and keeps receiving their writes too.
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
    const dialer = await agent('dialer-agent')
    const id = (a: MeshAgent) => a.node.peerId.toString()

    await until('the listening agents to hold a direct connection', () => tcp.direct.peers().includes(id(ws)) && ws.direct.peers().includes(id(tcp)), 60_000)
    await until('the agent that does not listen to hold both listening agents', () => [tcp, ws].every((a) => dialer.direct.peers().includes(id(a))), 60_000)
    // Before the relay goes: everyone has everything, so what follows is news.
    await tcp.peer.author('task.claimed', task('before'))
    await until('every agent to have the first write', () => [ws, dialer].every((a) => has(a, 'before')), 30_000)
    // It announces nothing: it has no address to announce.
    expect(dialer.node.getMultiaddrs()).toEqual([])

    await relay.stop()
    await until('the agents to lose the relay', () => [tcp, ws, dialer].every((a) => a.relays.connected().length === 0), 30_000)

    await tcp.peer.author('task.claimed', task('from-tcp'))
    await ws.peer.author('task.claimed', task('from-ws'))
    await until('each listening agent to receive the other one\'s write with no relay', () => has(ws, 'from-tcp') && has(tcp, 'from-ws'), 30_000)
    await until('the agent that does not listen to receive both writes with no relay', () => has(dialer, 'from-tcp') && has(dialer, 'from-ws'), 30_000)
    await dialer.peer.author('task.claimed', task('from-dialer'))
    await until('the listening agents to receive the write of the agent that does not listen', () => has(tcp, 'from-dialer') && has(ws, 'from-dialer'), 30_000)
    const root = tcp.peer.host.replica.summary().root
    expect([ws, dialer].map((a) => a.peer.host.replica.summary().root)).toEqual([root, root])
  }, 180_000)
})
