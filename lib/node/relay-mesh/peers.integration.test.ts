/**
 * Peers use every relay of their room, on loopback: an agent keeps two relays, keeps writing
 * when one dies, learns a relay that joins later without a restart; an agent whose relay comes
 * back serving another room (restarted empty, no --join) reports both room ids and does not
 * follow it — running, and when it starts again.
 */
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { wrongRoomMessage, type WrongRoom } from '../../net/relays/pool'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay, type RelayOptions } from '../relay'
import { scratch } from '../testing/scratch'
import { until } from '../testing/until'

const { running, tmp } = scratch('peers')

async function relay(dataDir: string, extra: Partial<RelayOptions> = {}): Promise<Relay> {
  const r = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500, onLog: () => {}, ...extra })
  running.push(r)
  return r
}

const task = (taskId: string) => ({ taskId, projectId: 'p', repository: 'lab', title: `Lab note ${taskId}`, description: '' })
const ids = (rs: Relay[]) => rs.map((r) => r.node.peerId.toString()).sort()

describe('peers use every relay of their room', () => {
  it('an agent keeps two relays, survives losing one, and learns a third without a restart', async () => {
    const r1 = await relay(tmp())
    const adminInvite = await r1.invite({ role: 'admin', maxUses: 5 })
    const r2 = await relay(tmp(), { join: [r1.httpUrl], invite: adminInvite })
    const agentInvite = await r1.invite({ role: 'agent', maxUses: 5 })
    const dataDir = tmp()
    const a = await startMeshAgent({ name: 'writer', relayUrl: r1.httpUrl, dataDir, invite: agentInvite, syncIntervalMs: 500 })
    running.push(a)
    await a.join()
    // Given only the first relay's URL, it finds and holds both.
    await until('the agent to hold both relays', () => a.relays.connected().sort().join() === ids([r1, r2]).join(), 30_000)

    await r1.stop()
    await a.peer.author('task.claimed', task('after-r1'))
    await until('the second relay to archive a write made after the first died', () => r2.peer.host.replica.state.tasks.has('after-r1'), 30_000)

    // A relay that joins later (through the second) is learnt from the relays, no restart.
    const r3 = await relay(tmp(), { join: [r2.httpUrl], invite: adminInvite })
    await until('the agent to hold the second and third relays', () => a.relays.connected().sort().join() === ids([r2, r3]).join(), 60_000)
    await a.peer.author('task.claimed', task('after-r3'))
    await until('the third relay to archive it', () => r3.peer.host.replica.state.tasks.has('after-r3'), 30_000)
  }, 180_000)

  it('an agent whose relay now serves another room says so, naming both rooms, and does not follow it', async () => {
    const dir = tmp()
    const first = await relay(dir)
    const room = first.info().room
    const port = Number(new URL(first.httpUrl).port)
    const wrong: WrongRoom[] = []
    const dataDir = tmp()
    const a = await startMeshAgent({ name: 'pinned', relayUrl: first.httpUrl, dataDir, invite: await first.invite({ role: 'agent' }), syncIntervalMs: 500, onWrongRoom: (w) => wrong.push(w) })
    running.push(a)
    await a.join()
    await a.peer.author('task.claimed', task('before'))
    await until('the relay to archive it', () => first.peer.host.replica.state.tasks.has('before'), 30_000)

    // The relay's disk is lost; it restarts on the same URL without --join and mints a room.
    await first.stop()
    rmSync(dir, { recursive: true, force: true })
    const stranger = await relay(dir, { httpPort: port })
    const other = stranger.info().room
    expect(other).not.toBe(room)

    await until('the running agent to report the relay serving another room', () => wrong.length > 0, 60_000)
    expect(wrong[0]).toMatchObject({ room: other, ours: room })
    const line = wrongRoomMessage(wrong[0])
    expect(line).toContain(room)
    expect(line).toContain(other)
    expect(a.relays.connected()).not.toContain(stranger.node.peerId.toString())
    expect(a.peer.host.replica.state.tasks.has('before')).toBe(true)

    // Started again against that URL, it stays in its own room and logs the same error.
    await a.stop()
    const errors: string[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args.join(' '))
    try {
      const again = await startMeshAgent({ name: 'pinned', relayUrl: stranger.httpUrl, dataDir, syncIntervalMs: 500 })
      running.push(again)
      expect(again.room.room).toBe(room)
      expect(again.peer.host.replica.state.tasks.has('before')).toBe(true)
    } finally {
      console.error = original
    }
    const line2 = errors.find((l) => l.includes(other))
    expect(line2).toContain(room)
  }, 180_000)
})
