/**
 * Backup, restore, export and import on a real relay and agent (loopback, SQLite): a backup
 * taken while an agent writes restores into a wiped data directory as the same room, and the
 * agent carries on without a new invite with nothing lost; an export imported into a fresh
 * directory gives the same digest; a damaged line is refused by number and nothing is written.
 */
import { readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventId } from '../../core/ids'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { main } from '../cli'
import { startRelay, type Relay } from '../relay'
import { scratch } from '../testing/scratch'
import { until } from '../testing/until'
import { inspectDataDir } from './inspect'
import { exportToFile, ImportError, importEvents } from './ndjson'
import { backupDataDir, restoreDataDir } from './snapshot'

const { running, tmp } = scratch('backup')

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => res(p))
    })
  })
}

async function relayAt(dataDir: string, port = 0, httpPort = 0): Promise<Relay> {
  const r = await startRelay({ dataDir, host: '127.0.0.1', port, httpPort, presenceIntervalMs: 300, syncIntervalMs: 500 })
  running.push(r)
  return r
}

async function agentOf(relay: Relay, invite: string): Promise<MeshAgent> {
  const a = await startMeshAgent({ name: 'writer', relayUrl: relay.httpUrl, dataDir: tmp(), invite, syncIntervalMs: 500 })
  running.push(a)
  expect(await a.join()).toMatchObject({ status: 'member', role: 'agent' })
  return a
}

const claim = (a: MeshAgent, n: number | string) =>
  a.peer.author('task.claimed', { taskId: `t-${n}`, projectId: 'p', repository: 'api', title: `Task ${n}`, description: '' })

describe('backup and restore', () => {
  it('backs up while an agent writes; wiped and restored, the same room goes on, nothing lost, no new invite', async () => {
    const dir = tmp()
    const [port, httpPort] = [await freePort(), await freePort()]
    let relay = await relayAt(dir, port, httpPort)
    const room = relay.info().room
    const relayId = relay.node.peerId.toString()
    const agent = await agentOf(relay, await relay.invite({ role: 'agent' }))

    // The agent keeps writing through the backup.
    const authored: EventId[] = []
    let writing = true
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        authored.push((await claim(agent, n)).id)
        await new Promise((r) => setTimeout(r, 15))
      }
    })()
    const atRelay = () => relay.peer.host.replica.log
    await until('the relay to store the agent’s first events', () => authored.filter((id) => atRelay().has(id)).length >= 10)
    const file = join(tmp(), 'room.backup')
    const backup = backupDataDir(dir, file)
    expect(backup.room).toBe(room)
    expect(() => backupDataDir(dir, file)).toThrow(/exists/)
    await until('events written after the backup to reach the relay', () => atRelay().size >= backup.events + 10)
    writing = false
    await writer

    // A restore refuses to run under a live relay or over existing data.
    await expect(restoreDataDir(file, dir)).rejects.toThrow(/relay \(pid \d+\) is using/)
    await relay.stop()
    running.splice(running.indexOf(relay), 1)
    await expect(restoreDataDir(file, dir)).rejects.toThrow(/already holds relay data/)

    rmSync(dir, { recursive: true, force: true })
    const out: string[] = []
    const log = console.log
    console.log = (s: string) => out.push(s)
    try {
      expect(await main(['node', 'chorus-mesh', 'restore', file, '--data', dir, '--json'])).toBe(0)
    } finally {
      console.log = log
    }
    const restored = JSON.parse(out.join('')) as { room: string; events: number; verified: number }
    expect(restored).toMatchObject({ room, events: backup.events, verified: backup.events })

    relay = await relayAt(dir, port, httpPort)
    expect(relay.info().room).toBe(room)
    expect(relay.node.peerId.toString()).toBe(relayId)
    expect(relay.roomCreated).toBe(false)
    // The agent is still a member: it writes again on its old key, and sync brings back what
    // the relay lost with the wipe.
    const after = await claim(agent, 'after-restore')
    await until('the relay to hold every event the agent wrote', () => [...authored, after.id].every((id) => atRelay().has(id)), 30_000)
    await until('relay and agent to agree', () => relay.peer.host.replica.digest() === agent.peer.host.replica.digest(), 30_000)
    expect(relay.peer.host.replica.state.tasks.has('t-after-restore')).toBe(true)
  })

  it('export → import into a fresh directory gives the same digest; a damaged line is refused by number, nothing written', async () => {
    const dir = tmp()
    const relay = await relayAt(dir)
    const agent = await agentOf(relay, await relay.invite({ role: 'agent' }))
    const ids: EventId[] = []
    for (let n = 0; n < 20; n++) ids.push((await claim(agent, n)).id)
    // The export reads the SQLite file, which holds a received event only once its write lands.
    await until('the relay to store them', async () => ids.every((id) => relay.peer.host.replica.log.has(id)) && (await relay.store.count(relay.info().room)) === relay.peer.host.replica.log.size)
    const file = join(tmp(), 'room.ndjson')
    const exported = exportToFile(dir, file)
    expect(exported.events).toBe(relay.peer.host.replica.log.size)
    const digest = relay.peer.host.replica.digest()
    const root = relay.peer.host.replica.summary().root
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')

    // Any one byte changed in any one event: refused, naming that line; nothing written.
    const target = tmp()
    await fc.assert(
      fc.asyncProperty(fc.nat(lines.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), async (i, at, flip) => {
        const rec = JSON.parse(lines[i]) as { bytes: string }
        const bytes = Buffer.from(rec.bytes, 'base64')
        bytes[at % bytes.length] ^= flip
        const bad = lines.map((l, j) => (j === i ? JSON.stringify({ ...rec, bytes: bytes.toString('base64') }) : l))
        const err = await importEvents(Readable.from(bad.join('\n') + '\n'), target).catch((e: Error) => e)
        expect(err).toBeInstanceOf(ImportError)
        expect((err as Error).message).toContain(`line ${i + 1}`)
        await expect(inspectDataDir(target)).rejects.toThrow(/serves no room/)
      }),
      { numRuns: 15 },
    )
    const notJson = await importEvents(Readable.from(`${lines[0]}\n{oops\n`), target).catch((e: Error) => e)
    expect((notJson as Error).message).toMatch(/line 2: not JSON/)

    const fresh = tmp()
    const imported = await importEvents(Readable.from(readFileSync(file)), fresh)
    expect(imported).toMatchObject({ room: exported.room, lines: exported.events, added: exported.events, digest, root })
    // Importing it again adds nothing; a fresh relay on the directory serves the same room.
    expect((await importEvents(Readable.from(readFileSync(file)), fresh)).added).toBe(0)
    const other = await relayAt(fresh)
    expect(other.info().room).toBe(exported.room)
    expect(other.peer.host.replica.digest()).toBe(digest)

    // Import refuses a directory a live relay uses, and events of another room.
    const elsewhereDir = tmp()
    await relayAt(elsewhereDir)
    const otherFile = join(tmp(), 'other.ndjson')
    exportToFile(elsewhereDir, otherFile)
    await expect(importEvents(Readable.from(readFileSync(otherFile)), fresh)).rejects.toThrow(/relay \(pid \d+\) is using/)
    await other.stop()
    running.splice(running.indexOf(other), 1)
    await expect(importEvents(Readable.from(readFileSync(otherFile)), fresh)).rejects.toThrow(/but .* serves room/)
  })
})
