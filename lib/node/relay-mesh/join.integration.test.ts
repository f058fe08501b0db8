/**
 * Several relays serve one room, on loopback: a relay started with `--join` pulls the whole log
 * from another, redeems its admin invite as a `relay` member, serves the room (room info,
 * outcomes, reservations) and the relays list each other; wiped, it rejoins the same room with
 * a new key instead of minting one; a relay whose join target serves another room keeps its own
 * and says so naming both.
 */
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { asPeerId } from '../../core/ids'
import { RELAY_CAPABILITY } from '../../net/relays/record'
import { fetchRoomInfo } from '../../net/room-info'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay, type RelayOptions } from '../relay'
import { scratch } from '../testing/scratch'
import { until } from '../testing/until'

const { running, tmp } = scratch('relays')

async function relay(dataDir: string, extra: Partial<RelayOptions> = {}, logs: string[] = []): Promise<Relay> {
  const r = await startRelay({ dataDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500, onLog: (level, m) => logs.push(`${level} ${m}`), ...extra })
  running.push(r)
  return r
}

async function agent(url: string, name: string, dataDir: string, invite?: string): Promise<MeshAgent> {
  const a = await startMeshAgent({ name, relayUrl: url, dataDir, invite, syncIntervalMs: 500 })
  running.push(a)
  return a
}

const task = (taskId: string) => ({ taskId, projectId: 'p', repository: 'lab', title: `Lab note ${taskId}`, description: '' })

describe('a second relay joins an existing room', () => {
  it('pulls the whole log, joins as a relay admin, serves the room and lists the other relay', async () => {
    const first = await relay(tmp())
    const a = await agent(first.httpUrl, 'writer', tmp(), await first.invite({ role: 'agent' }))
    await a.join()
    for (let i = 0; i < 40; i++) await a.peer.author('task.claimed', task(`t${i}`))
    await until('the first relay to hold every claim', () => first.peer.host.replica.state.tasks.size === 40)

    const second = await relay(tmp(), { join: [first.httpUrl], invite: await first.invite({ role: 'admin' }) })
    expect(second.roomJoined).toBe(true)
    expect(second.roomCreated).toBe(false)
    expect(second.info().room).toBe(first.info().room)
    // Everything the first relay held was pulled before the second one started serving.
    expect(second.peer.host.replica.state.tasks.size).toBe(40)
    const me = second.peer.host.replica.state.members.get(asPeerId(second.node.peerId.toString()))
    expect(me).toMatchObject({ role: 'admin', kind: 'agent' })
    expect(me?.capabilities).toContain(RELAY_CAPABILITY)

    // Its room info is the same room and lists both relays; the first relay learns the second.
    const info = await fetchRoomInfo(second.httpUrl)
    expect(info.room).toBe(first.info().room)
    expect(info.relays?.[0].peerId).toBe(second.node.peerId.toString())
    await until('the second relay to list the first', async () => (await fetchRoomInfo(second.httpUrl)).relays?.[1]?.peerId === first.node.peerId.toString(), 20_000)
    await until('the first relay to list the second', () => (first.info().relays ?? []).some((r) => r.peerId === second.node.peerId.toString()), 20_000)

    // It serves outcomes and metrics like any relay.
    expect((await fetch(`${second.httpUrl}/api/outcomes`)).status).toBe(200)
    expect(await (await fetch(`${second.httpUrl}/metrics`)).text()).toContain('chorus_')

    // Invites the joined relay signs (as an admin) admit; its archive follows live writes.
    const b = await agent(second.httpUrl, 'late', tmp(), await second.invite({ role: 'agent' }))
    expect(await b.join()).toMatchObject({ status: 'member', role: 'agent' })
    await a.peer.author('task.claimed', task('live'))
    await until('the second relay to archive a live event', () => second.peer.host.replica.state.tasks.has('live'), 20_000)
    await until('the first relay to hear of the late agent', () => first.peer.host.replica.state.members.has(asPeerId(b.node.peerId.toString())), 20_000)
  }, 120_000)

  it('rejoins the same room after its data directory is wiped, with a new key and the same command line', async () => {
    const first = await relay(tmp())
    const room = first.info().room
    const invite = await first.invite({ role: 'admin', maxUses: 5 })
    const dir = tmp()
    const second = await relay(dir, { join: [first.httpUrl], invite })
    const before = second.node.peerId.toString()
    await second.stop()
    rmSync(dir, { recursive: true, force: true })

    const again = await relay(dir, { join: [first.httpUrl], invite })
    expect(again.info().room).toBe(room)
    expect(again.roomJoined).toBe(true)
    expect(again.node.peerId.toString()).not.toBe(before)
    // Restarted with its disk, it serves the room without joining again.
    await again.stop()
    const kept = await relay(dir, { join: [first.httpUrl], invite })
    expect(kept.roomJoined).toBe(false)
    expect(kept.info().room).toBe(room)
  }, 120_000)

  it('keeps its own room when the join target serves another, and says so naming both', async () => {
    const first = await relay(tmp())
    const dir = tmp()
    const second = await relay(dir, { join: [first.httpUrl], invite: await first.invite({ role: 'admin' }) })
    const room = second.info().room
    await second.stop()
    const stranger = await relay(tmp())
    const logs: string[] = []
    const again = await relay(dir, { join: [stranger.httpUrl] }, logs)
    expect(again.info().room).toBe(room)
    const line = logs.find((l) => l.startsWith('error'))
    expect(line).toContain(room)
    expect(line).toContain(stranger.info().room)
  }, 120_000)

  it('refuses to start when no join target answers, instead of minting a room', async () => {
    await expect(relay(tmp(), { join: ['http://127.0.0.1:9/'] })).rejects.toThrow(/no relay answered/)
  })
})
