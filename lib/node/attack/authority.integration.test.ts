/**
 * Authority on a real mesh (ADR 0065): a relay (the owner), an honest agent and members who
 * hold valid keys and try to act beyond their standing, over libp2p on loopback. Each test
 * checks every honest replica: the relay's and the honest agent's.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeInviteText } from '../../core/events/invite-link'
import { signEvent } from '../../core/events/codec'
import type { EncodedEvent } from '../../core/events/envelope'
import type { EventId } from '../../core/ids'
import { nextEnvelope } from '../../core/log/author'
import { sessionIdOf } from '../../core/sessions/ids'
import { selectRole } from '../../core/state/selectors'
import { forgeStale } from '../../core/testing/forge'
import { libp2pSigner } from '../../net/keys'
import { eventsTopic } from '../../net/topics'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { issueInvite } from '../invites'
import { startRelay, type Relay } from '../relay'
import { until } from '../testing/until'

let dir: string
let relay: Relay
let alice: MeshAgent
const others: MeshAgent[] = []
const honest = () => [relay.peer, alice.peer].map((p) => p.host.replica)
const task = (taskId: string, repository: string, title: string, description = '') => ({ taskId, projectId: 'p', repository, title, description })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-authority-'))
  relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 500 })
  alice = await agent('alice', await relay.invite({ role: 'agent', maxUses: 1 }))
}, 120_000)

afterAll(async () => {
  for (const a of [...others, alice]) await a?.stop().catch(() => {})
  await relay?.stop().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
})

async function agent(name: string, invite?: string, join = true): Promise<MeshAgent> {
  const a = await startMeshAgent({ name, relayUrl: relay.httpUrl, dataDir: dir, invite, syncIntervalMs: 500 })
  if (name !== 'alice') others.push(a)
  if (invite && join) await a.join()
  return a
}

/** Publishes an event as-is (a member skipping its own checks) and lets sync carry it too. */
async function inject(from: MeshAgent, e: EncodedEvent): Promise<void> {
  await from.peer.host.ingest([e.bytes])
  await from.node.services.pubsub.publish(eventsTopic(from.room.room), e.bytes).catch(() => undefined)
}

const everywhere = (what: string, ids: EventId[]) => until(what, () => honest().every((r) => ids.every((id) => r.log.has(id))), 60_000)

describe('authority holds on a real mesh', () => {
  it('a revoked member loses its role for good: stale-clocked posts and a leave-and-rejoin have no effect', async () => {
    const mallory = await agent('mallory', await relay.invite({ role: 'agent', maxUses: 2 }))
    const claim = await mallory.peer.author('task.claimed', task('m-1', 'api', 'Rewrite billing'))
    await everywhere('her claim', [claim.id])
    const seenBefore = mallory.peer.host.replica.log.all().filter((e) => e.event.author !== mallory.peer.signer.peerId).map((e) => e.id)
    // The room moves on before the revocation, so a post that ignores it sorts before it.
    await relay.peer.author('room.configured', { config: { escalationThreshold: 11 } })
    await relay.peer.author('room.configured', { config: { escalationThreshold: 10 } })
    const revocation = await relay.peer.author('member.revoked', { member: mallory.peer.signer.peerId, reason: 'key leaked' })
    await until('mallory holds her revocation', () => mallory.peer.host.replica.log.has(revocation.id))
    // Written as if the revocation had not been seen: an old Lamport clock, old deps.
    const stale = await forgeStale(mallory.peer.host.replica.log, mallory.peer.signer, 'task.claimed', task('m-2', 'web', 'Stale claim'), seenBefore.slice(-3), Date.now())
    await inject(mallory, stale)
    const left = await mallory.peer.author('member.left', {})
    const again = await mallory.peer.author('member.joined', { displayName: 'mallory', kind: 'agent', capabilities: [], invite: decodeInviteText(await relay.invite({ role: 'agent', maxUses: 1 }))! })
    const claim3 = await mallory.peer.author('task.claimed', task('m-3', 'db', 'After rejoining'))
    await everywhere('her later events', [stale.id, left.id, again.id, claim3.id])
    for (const r of honest()) {
      expect(selectRole(r.state, mallory.peer.signer.peerId)).toBeNull()
      expect(r.state.members.get(mallory.peer.signer.peerId)?.revoked).toBe(true)
      expect(r.state.tasks.get('m-1')?.status).toBe('released')
      expect(r.state.tasks.has('m-2')).toBe(false)
      expect(r.state.tasks.has('m-3')).toBe(false)
      expect(r.authority.counts(r.log.get(stale.id)!)).toBe(false)
    }
    expect(relay.peer.host.replica.log.get(stale.id)!.event.lamport).toBeLessThan(relay.peer.host.replica.log.get(revocation.id)!.event.lamport)
  }, 120_000)

  it("an admin's invite admits nobody after the owner revokes the admin; members it admitted before stay", async () => {
    const zed = await agent('zed', await relay.invite({ role: 'admin', maxUses: 1 }))
    const zedJoin = zed.peer.host.replica.log.eventsAfter(zed.peer.signer.peerId, 0)[0].id
    const zedInvite = await issueInvite(relay.peer.host.replica.log.room, zed.peer.signer, { role: 'agent', maxUses: 5, issuerJoin: zedJoin })
    const early = await agent('early', zedInvite)
    const earlyJoin = early.peer.host.replica.log.eventsAfter(early.peer.signer.peerId, 0)[0].id
    await everywhere('the early join', [earlyJoin])
    await relay.peer.author('member.revoked', { member: zed.peer.signer.peerId })
    const late = await agent('late', zedInvite, false)
    await until('late holds the revocation', () => late.peer.host.replica.state.members.get(zed.peer.signer.peerId)?.revoked === true)
    const lateJoin = (await late.peer.author('member.joined', { displayName: 'late', kind: 'agent', capabilities: [], invite: decodeInviteText(zedInvite)! })).id
    await everywhere('the late join', [lateJoin])
    for (const r of honest()) {
      expect(selectRole(r.state, early.peer.signer.peerId)).toBe('agent')
      expect(selectRole(r.state, late.peer.signer.peerId)).toBeNull()
      expect(r.authority.joinVoid(lateJoin)).toMatch(/revoked/)
    }
  }, 120_000)

  it('an expired invite redeemed by a backdated join stops admitting once an honest member cites it', async () => {
    const expired = decodeInviteText(await relay.invite({ role: 'agent', ttlMs: -2 * 3600_000, maxUses: 3 }))!
    const carrier = others[0]
    const key = libp2pSigner(await generateKeyPair('Ed25519'))
    const genesis = relay.peer.host.replica.log.room as EventId
    const backdated = await forgeStale(carrier.peer.host.replica.log, key, 'member.joined', { displayName: 'oldtimer', kind: 'agent', capabilities: [], invite: expired }, [genesis], expired.expires - 60_000)
    await relay.peer.host.ingest([backdated.bytes])
    await relay.peer.gossip.publish(backdated.bytes)
    await everywhere('the backdated join', [backdated.id])
    // The next event of an honest member cites the uncited join: its real time is the witness.
    const witness = await alice.peer.author('task.claimed', task('a-1', 'web', 'Login page'))
    await everywhere('the witness', [witness.id])
    await until('the join is void everywhere', () => honest().every((r) => r.authority.joinVoid(backdated.id) !== undefined), 30_000)
    for (const r of honest()) expect(selectRole(r.state, key.peerId)).toBeNull()
  }, 120_000)

  it('a backdated session opening is not escalated by duration, and a completed close without completed tasks is refused', async () => {
    // A member whose clock is frozen two hours back: everything it signs carries that time.
    const invite = await relay.invite({ role: 'agent', maxUses: 1 })
    const frozen = await agent('frozen', invite, false)
    const log = frozen.peer.host.replica.log
    const twoHoursAgo = Date.now() - 2 * 3600_000
    const backdated = async <K extends Parameters<typeof nextEnvelope>[2]>(kind: K, payload: Parameters<typeof nextEnvelope<K>>[3]) => {
      const e = await signEvent(nextEnvelope(log, frozen.peer.signer, kind, payload, twoHoursAgo), frozen.peer.signer)
      await inject(frozen, e)
      return e
    }
    await until('frozen holds the room', () => log.size > 1)
    await backdated('member.joined', { displayName: 'frozen', kind: 'agent', capabilities: ['planner'], invite: decodeInviteText(invite)! })
    const api = await backdated('task.claimed', task('auth-api', 'api', 'Define user authentication API', 'login endpoint contract'))
    const page = await alice.peer.author('task.claimed', task('login-page', 'web', 'Implement login page', 'form that calls the authentication API'))
    await everywhere('both claims', [api.id, page.id])
    await until('frozen holds both claims', () => log.has(page.id))
    // Only this pair's events (earlier tests left other tasks around that also relate).
    const pair = (x: { kind: string; payload: unknown }) => JSON.stringify(x.payload).includes('"login-page"') && JSON.stringify(x.payload).includes('"auth-api"')
    for (const kind of ['dependency.detected', 'session.opened'] as const) {
      const d = frozen.peer.host.replica.due().find((x) => x.kind === kind && pair(x))!
      await backdated(kind, d.payload as never)
    }
    const session = sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract')
    await until('the session everywhere', () => honest().every((r) => r.state.sessions.has(session)))
    for (const r of honest()) expect(r.due().some((d) => d.kind === 'session.escalated')).toBe(false)
    // Honest activity starts the clock at the real time: still not due.
    await alice.peer.author('session.message', { session, text: 'Which endpoint first?' })
    await until('the message everywhere', () => honest().every((r) => r.state.sessions.get(session)?.witnessedAt != null))
    for (const r of honest()) expect(r.due().some((d) => d.kind === 'session.escalated')).toBe(false)
    const opened = relay.peer.host.replica.state.sessions.get(session)!.openedEvent
    const done = await backdated('task.completed', { taskId: 'auth-api' })
    const close = await signEvent(nextEnvelope(log, frozen.peer.signer, 'session.closed', { session, reason: 'completed', evidence: [opened, done.id] }, Date.now()), frozen.peer.signer)
    await inject(frozen, close)
    await everywhere('the completion', [done.id])
    await new Promise((r) => setTimeout(r, 2000))
    for (const r of honest()) {
      expect(r.log.has(close.id)).toBe(false)
      expect(r.state.sessions.get(session)?.status).toBe('active')
    }
  }, 120_000)

  it('future-stamped events from a key that never joined take no hold slot and count against their sender', async () => {
    const sender = others[0]
    const stranger = libp2pSigner(await generateKeyPair('Ed25519'))
    const log = relay.peer.host.replica.log
    for (let i = 0; i < 30; i++) {
      const env = nextEnvelope(log, stranger, 'task.claimed', task(`s-${i}`, 'x', 'Spam'), Date.now() + 120_000)
      await sender.node.services.pubsub.publish(eventsTopic(sender.room.room), (await signEvent(env, stranger)).bytes).catch(() => undefined)
    }
    await until('the relay to refuse them', () => (relay.peer.gossip.rejectedFrom.get(sender.node.peerId.toString())?.not_member ?? 0) > 0, 30_000)
    expect(relay.peer.host.heldCount).toBe(0)
  }, 60_000)
})
