/**
 * A room under attack, for the authority property test: honest members act through the normal
 * authoring path on two partitions that sync now and then; adversaries holding valid keys
 * (an admin, an agent, two fresh keys with invites, one of them expiring) sign whatever they
 * like — any kind, payload, time, Lamport clock, deps, seq — and every signed event goes into
 * a pool that is later delivered to fresh replicas in random orders.
 */
import { signEvent } from '../events/codec'
import type { AnyEvent, EncodedEvent, UnsignedEvent } from '../events/envelope'
import type { EventKind, PayloadInput } from '../events/kinds'
import type { Role } from '../events/kinds/common'
import type { SignedInvite } from '../events/kinds/invite'
import type { Signer } from '../events/signer'
import { signInvite } from '../events/verify'
import type { EventId } from '../ids'
import { referencesOf } from '../log/admission'
import { createGenesis, nextEnvelope } from '../log/author'
import { EventRejectedError } from '../log/reasons'
import { due } from '../sessions/due'
import { Replica } from '../state/replica'
import { testSigner, testVerifier } from './ed25519'
import { planFor } from './replica'
import { inviteBody, T0, testClock } from './room'
import { CHORUS_TASKS } from './tasks'

export const CONFIG = { escalationThreshold: 4, maxSessionDurationMs: 20 * 60_000, inactivityTimeoutMs: 15 * 60_000 }
/** Actor indices. Honest: 0 owner, 1 admin, 3 and 4 agents, 6 reviewer. Adversaries: 2 admin, 5 agent, 7 and 8 fresh keys. */
export const HONEST = [0, 1, 3, 4, 6] as const
export const ADVERSARIES = [2, 5, 7, 8] as const
export const EVIL_KINDS = [
  'task.claimed', 'task.completed', 'member.revoked', 'invite.revoked', 'session.closed', 'session.escalated', 'session.resolved',
  'plan.proposed', 'session.message', 'member.joined', 'member.left', 'room.configured', 'escalation.resolved', 'plan.approved',
  /** One of the derived events due() proposes in the adversary's view (opened, detected, resolved …), signed with its own clock. */
  'derived',
] as const
/** Offsets from the real time an adversary may stamp. */
export const TIME_OFFSETS = [-3 * 3600_000, -40 * 60_000, -60_000, 0, 0, 500, 20 * 60_000, 2 * 3600_000] as const

export type Move =
  | { t: 'sync' }
  | { t: 'tick'; minutes: number }
  | { t: 'claim' | 'complete'; who: number; task: number }
  | { t: 'message'; who: number; pick: number; agree: boolean }
  | { t: 'plan' | 'human'; who: number; pick: number }
  | { t: 'due'; who: number }
  | { t: 'revoke'; who: number; target: number }
  | { t: 'inviteRevoke'; who: number; invite: number }
  | { t: 'evil'; who: number; kind: (typeof EVIL_KINDS)[number]; pick: number; target: number; deps: number[]; time: number; lamport: 'min' | 'low' | 'high'; seq: 'next' | 'fork' | 'skip' }

interface Actor {
  signer: Signer
  home: number
  role: Exclude<Role, 'owner'> | 'owner' | 'fresh'
  invites: SignedInvite[]
}

export interface AttackedRoom {
  room: EventId
  /** Every event anyone signed, valid or not. */
  pool: EncodedEvent[]
  /** The real time each signed event was made at, by id. */
  realTime: Map<EventId, number>
  honest: Set<string>
  end: number
}

/** Plays `moves` in a fresh room; returns the pool of signed events. */
export async function attackedRoom(moves: readonly Move[]): Promise<AttackedRoom> {
  const clock = testClock()
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'attacked', open: false, config: CONFIG, owner: { displayName: 'O', kind: 'human', capabilities: [] } }, clock.now())
  const homes = [0, 1].map(() => new Replica({ room: genesis.id, verifier: testVerifier, now: clock.now }))
  const pool: EncodedEvent[] = [genesis]
  const realTime = new Map<EventId, number>([[genesis.id, clock.now()]])
  for (const h of homes) await h.add(genesis)
  const actors: Actor[] = [{ signer: owner, home: 0, role: 'owner', invites: [] }]
  const invite = (issuer: Actor, role: Exclude<Role, 'owner'>, nonce: string, extra: { expires?: number; maxUses?: number } = {}) => {
    const issuerJoin = issuer.role === 'owner' ? undefined : homes[0].log.eventsAfter(issuer.signer.peerId, 0)[0]?.id
    return signInvite(inviteBody(genesis.id, issuer.signer, role, { nonce: `nonce-${nonce}`, ...(issuerJoin ? { issuerJoin } : {}), ...extra }), issuer.signer)
  }
  const join = async (name: string, role: Exclude<Role, 'owner'>, inv: SignedInvite, home: number) => {
    const signer = testSigner(name)
    record(await homes[0].author(signer, 'member.joined', { displayName: name, kind: role === 'agent' ? 'agent' : 'human', capabilities: role === 'agent' ? ['planner'] : [], invite: inv }))
    actors.push({ signer, home, role, invites: [] })
  }
  const record = (e: EncodedEvent) => {
    pool.push(e)
    if (!realTime.has(e.id)) realTime.set(e.id, clock.now())
  }
  const known: SignedInvite[] = []
  const ownerAdmin = await invite(actors[0], 'admin', 'owner-admins', { maxUses: 3 })
  await join('a1', 'admin', ownerAdmin, 0)
  await join('a2', 'admin', ownerAdmin, 1)
  const a1Agents = await invite(actors[1], 'agent', 'a1-agents', { maxUses: 2 })
  await join('g1', 'agent', a1Agents, 0)
  const ownerAgents = await invite(actors[0], 'agent', 'owner-agents')
  await join('g2', 'agent', ownerAgents, 1)
  const a2Agents = await invite(actors[2], 'agent', 'a2-agents', { maxUses: 3 })
  await join('m1', 'agent', a2Agents, 1)
  await join('r1', 'reviewer', await invite(actors[0], 'reviewer', 'owner-reviewers'), 1)
  const expiring = await invite(actors[0], 'agent', 'expiring', { expires: T0 + 30 * 60_000 })
  actors.push({ signer: testSigner('f1'), home: 0, role: 'fresh', invites: [expiring, a2Agents] })
  actors.push({ signer: testSigner('f2'), home: 1, role: 'fresh', invites: [a1Agents, ownerAdmin] })
  known.push(ownerAdmin, a1Agents, ownerAgents, a2Agents, expiring)
  const sync = async () => {
    for (const from of homes) for (const to of homes) if (from !== to) for (const e of from.log.all()) await to.add(e.bytes)
  }
  await sync()

  for (const m of moves) {
    try {
      await play(m)
    } catch (e) {
      if (!(e instanceof EventRejectedError)) throw e
    }
  }
  await sync()
  for (const h of homes) for (const e of h.log.all()) if (!realTime.has(e.id)) record(e)
  return { room: genesis.id, pool, realTime, honest: new Set(HONEST.map((i) => actors[i].signer.peerId)), end: clock.now() }

  async function author<K extends EventKind>(who: Actor, kind: K, payload: PayloadInput<K>): Promise<void> {
    record(await homes[who.home].author(who.signer, kind, payload))
  }

  async function play(m: Move): Promise<void> {
    if (m.t === 'sync') return sync()
    if (m.t === 'tick') return clock.advance(m.minutes * 60_000)
    const who = actors[m.who]
    const state = homes[who.home].state
    const sessions = [...state.sessions.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
    const session = 'pick' in m && sessions.length > 0 ? sessions[m.pick % sessions.length] : undefined
    switch (m.t) {
      case 'claim':
        return author(who, 'task.claimed', CHORUS_TASKS[m.task % CHORUS_TASKS.length])
      case 'complete':
        return author(who, 'task.completed', { taskId: CHORUS_TASKS[m.task % CHORUS_TASKS.length].taskId })
      case 'message':
        if (session) await author(who, 'session.message', { session: session.id, text: m.agree ? 'Sounds good' : 'I have a concern about this' })
        return
      case 'plan': {
        if (!session) return
        const [t1, t2 = t1] = session.tasks
        return author(who, 'plan.proposed', { session: session.id, version: session.plans.length + 1, plan: planFor(t1, t2) })
      }
      case 'human':
        if (!session) return
        if (session.status === 'escalated') {
          const acts = [
            () => author(who, 'escalation.resolved', { session: session.id, decision: 'go ahead' }),
            () => author(who, 'escalation.returned', { session: session.id, guidance: 'talk again' }),
            () => author(who, 'escalation.claimed', { session: session.id }),
          ]
          return acts[m.pick % acts.length]()
        }
        return author(who, 'plan.approved', { session: session.id, version: Math.max(1, session.plans.length) })
      case 'due':
        // What due() proposes must be admitted by the replica that proposed it, attacks or not.
        for (const d of due(state, clock.now())) {
          await author(who, d.kind, d.payload).catch((e: unknown) => {
            throw new Error(`due ${d.kind} was refused: ${(e as Error).message}`)
          })
        }
        return
      case 'revoke':
        return author(who, 'member.revoked', { member: actors[m.target % actors.length].signer.peerId })
      case 'inviteRevoke': {
        const inv = known[m.invite % known.length]
        return author(who, 'invite.revoked', { issuer: inv.issuer, nonce: inv.nonce })
      }
      case 'evil':
        return evil(m, who)
    }
  }

  async function evil(m: Extract<Move, { t: 'evil' }>, who: Actor): Promise<void> {
    const home = homes[who.home]
    const derived = m.kind === 'derived' ? due(home.state, clock.now()) : []
    const kind = m.kind === 'derived' ? derived[m.pick % Math.max(1, derived.length)]?.kind : m.kind
    const payload = m.kind === 'derived' ? derived[m.pick % Math.max(1, derived.length)]?.payload : evilPayload(m, who, home)
    if (payload === undefined || kind === undefined) return
    let env: UnsignedEvent
    try {
      env = nextEnvelope(home.log, who.signer, kind, payload as PayloadInput<typeof kind>, clock.now())
    } catch {
      return // a payload its schema refuses never leaves the adversary
    }
    const all = home.log.all().filter((e) => e.event.author !== who.signer.peerId)
    const deps = [...new Set(m.deps.map((i) => all[i % Math.max(1, all.length)]?.id).filter((x): x is EventId => x !== undefined))].sort().slice(0, 8)
    if (m.seq === 'fork' && env.seq > 1) {
      const seq = 1 + (m.pick % (env.seq - 1))
      env = { ...env, seq, prev: seq > 1 ? home.log.idsAt(who.signer.peerId, seq - 1)[0] ?? null : null }
    } else if (m.seq === 'skip') env = { ...env, seq: env.seq + 1 }
    // Everything admission counts as referenced (an invite's issuer join, evidence …), so a
    // 'min' clock is the lowest one admission accepts, not one it refuses on sight.
    const refs = [...(env.prev ? [env.prev] : []), ...referencesOf({ ...env, deps } as AnyEvent, genesis.id)]
    const min = Math.max(...refs.map((id) => home.log.get(id)?.event.lamport ?? 0)) + 1
    const lamport = m.lamport === 'min' ? min : m.lamport === 'low' ? 1 : min + 5
    const e = await signEvent({ ...env, deps, lamport, time: Math.max(0, clock.now() + TIME_OFFSETS[m.time % TIME_OFFSETS.length]) }, who.signer)
    record(e)
    await home.add(e)
  }

  function evilPayload(m: Extract<Move, { t: 'evil' }>, who: Actor, home: Replica): unknown {
    const st = home.state
    const sessions = [...st.sessions.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
    const s = sessions.length > 0 ? sessions[m.pick % sessions.length] : undefined
    const task = CHORUS_TASKS[m.pick % CHORUS_TASKS.length]
    const target = actors[m.target % actors.length].signer.peerId
    switch (m.kind) {
      case 'derived': return undefined
      case 'task.claimed': return task
      case 'task.completed': return { taskId: task.taskId }
      case 'member.revoked': return { member: target }
      case 'invite.revoked': return { issuer: known[m.pick % known.length].issuer, nonce: known[m.pick % known.length].nonce }
      case 'member.joined': {
        const inv = who.invites[m.pick % Math.max(1, who.invites.length)] ?? known[m.pick % known.length]
        return { displayName: 'x', kind: 'agent', capabilities: ['planner'], invite: inv }
      }
      case 'member.left': return {}
      case 'room.configured': return { config: { escalationThreshold: 2 + (m.pick % 5), maxSessionDurationMs: 60_000 * (1 + (m.target % 30)) } }
    }
    if (!s) return undefined
    const completions = s.tasks.map((t) => st.tasks.get(t)?.completion).filter((x): x is EventId => x !== undefined)
    switch (m.kind) {
      case 'session.closed':
        return m.target % 2 ? { session: s.id, reason: 'completed', evidence: [s.openedEvent, ...completions] } : { session: s.id, reason: 'inactivity' }
      case 'session.escalated':
        return [
          { session: s.id, reason: 'duration', maxDurationMs: st.config.maxSessionDurationMs, opened: s.openedEvent },
          { session: s.id, reason: 'requested', note: 'look' },
          { session: s.id, reason: 'message_limit', threshold: st.config.escalationThreshold, opened: s.openedEvent, messages: s.messages.map((x) => x.event).slice(0, 20) },
        ][m.target % 3]
      case 'session.resolved': {
        const plan = s.plans[s.plans.length - 1]
        return plan && { session: s.id, reason: 'consensus', plan: plan.event, agreements: s.messages.map((x) => x.event).slice(0, 5), participants: s.participants.length }
      }
      case 'plan.proposed': {
        const [t1, t2 = t1] = s.tasks
        return { session: s.id, version: s.plans.length + 1, plan: planFor(t2, t1, 'Adversary plan') }
      }
      case 'session.message': return { session: s.id, text: m.target % 2 ? 'Sounds good' : 'I object' }
      case 'escalation.resolved': return { session: s.id, decision: 'ship it' }
      case 'plan.approved': return { session: s.id, version: Math.max(1, s.plans.length) }
    }
  }
}
