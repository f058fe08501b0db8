/**
 * The adversarial suite: a relay, three honest agents and one Byzantine member on
 * loopback, real libp2p. After each attack: no honest peer holds an event it must refuse, no
 * honest event is lost, and every honest replica has the same state.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '../relay'
import { ATTACKS, ByzantinePeer, type AttackName } from './byzantine'
import { until } from '../testing/until'

let dir: string
let relay: Relay
const honest: MeshAgent[] = []
const attackers: MeshAgent[] = []
let invite: string
let written = 0
const counts: Record<string, unknown>[] = []

const replicas = () => [relay.peer, ...honest.map((h) => h.peer)].map((p) => p.host.replica)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-byz-'))
  relay = await startRelay({
    dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 1000,
    // A small budget, so the flood trips it even when this machine is too busy to flood fast.
    peerLimits: { messagesPerSec: 20, messageBurst: 50, bytesPerSec: 1 << 20, byteBurst: 4 << 20 },
  })
  invite = await relay.invite({ role: 'agent', maxUses: 20 })
  for (const name of ['alice', 'bob', 'carol']) {
    const a = await startMeshAgent({ name, relayUrl: relay.httpUrl, dataDir: dir, invite, syncIntervalMs: 1000 })
    await a.join()
    honest.push(a)
  }
  await until('everyone to hold every join', () => replicas().every((r) => r.state.members.size === 4))
}, 120_000)

/**
 * A fresh Byzantine member per attack: gossipsub graylists a peer after a few invalid events
 * (ADR 0024), so one attacker running every attack would only test the graylist.
 */
async function newAttacker(attack: string): Promise<MeshAgent> {
  const a = await startMeshAgent({ name: `mallory-${attack}`, relayUrl: relay.httpUrl, dataDir: dir, invite, syncIntervalMs: 1000 })
  attackers.push(a)
  await a.join()
  const id = a.peer.signer.peerId
  await until(`${attack} attacker known everywhere`, () => replicas().every((r) => r.state.members.has(id)) && a.peer.host.replica.log.size >= relay.peer.host.replica.log.size)
  return a
}

afterAll(async () => {
  for (const a of [...attackers, ...honest]) await a?.stop().catch(() => {})
  await relay?.stop().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
  console.log('byzantine suite:\n' + counts.map((c) => '  ' + JSON.stringify(c)).join('\n'))
})

describe('a Byzantine member on a real mesh', () => {
  for (const attack of ATTACKS) {
    it(`${attack}: nothing invalid accepted, nothing honest lost, honest states equal`, async () => {
      // Up to 1,000 valid events a second: well over the relay's per-peer budget (20/s, burst 50).
      const opts = attack === 'flood' ? { rate: 1000, durationMs: 1000 } : {}
      const attacker = await newAttacker(attack)
      const result = await new ByzantinePeer(attacker).run(attack as AttackName, opts)
      // Honest peers keep writing during and after the attack.
      const mine = await Promise.all(
        honest.map((h, i) => h.peer.author('task.claimed', { taskId: `honest-${attack}-${i}`, projectId: 'p', repository: `repo-${i}`, title: `Honest work after ${attack}`, description: '' })),
      )
      written += mine.length
      await until(`every honest event everywhere after ${attack}`, () => replicas().every((r) => mine.every((e) => r.log.has(e.id))), 60_000)
      await until(`honest roots equal after ${attack}`, () => new Set(replicas().map((r) => r.summary().root)).size === 1, 60_000)

      // Attacks made of events that must be refused name them, so "none accepted" is not vacuous.
      if (!['replay', 'flood', 'equivocation'].includes(attack)) expect(result.forbidden.length, `${attack} injected nothing to refuse`).toBeGreaterThan(0)
      const accepted = replicas().flatMap((r) => result.forbidden.filter((id) => r.log.has(id)))
      expect(accepted).toEqual([])
      const digests = new Set(replicas().map((r) => r.digest()))
      expect(digests.size).toBe(1)
      const honestLost = replicas().reduce((n, r) => n + [...r.state.tasks.keys()].filter((k) => k.startsWith('honest-')).length, 0)
      expect(honestLost).toBe(written * replicas().length)
      const stats = relay.peer.host.replica.log.stats()
      counts.push({ attack, sent: result.sent, refused: result.forbidden.length, acceptedInvalid: accepted.length, honestEvents: written, rateLimited: relay.peer.gossip.rateLimited, rejected: Object.fromEntries(Object.entries(stats).filter(([k, v]) => v > 0 && !['accepted', 'duplicate', 'pending'].includes(k))) })
      if (attack === 'flood') expect(relay.peer.gossip.rateLimited).toBeGreaterThan(0)
      if (attack === 'equivocation') {
        for (const r of replicas()) expect([...r.log.quarantined().keys()]).toContain(attacker.peer.signer.peerId)
      }
    }, 120_000)
  }
})
