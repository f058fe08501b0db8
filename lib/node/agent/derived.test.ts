/**
 * The election of one emitter per derived event (ADR 0070), searched with fast-check: for any
 * room of agents and humans, any liveness, any due event, the live candidates' indexes are
 * exactly 0..L−1 (one elected, the rest queued behind it by grace periods), the peers involved
 * come first, and every peer computes the same order whatever order it learned the members in.
 * Then the duty itself on a stub peer: the elected emits at once, the next only after a grace
 * period, a bystander never while an involved peer is live.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventId, PeerId, RoomId } from '../../core/ids'
import type { DueEvent } from '../../core/sessions/due'
import { initialState } from '../../core/state/initial'
import type { MemberState, RoomState } from '../../core/state/types'
import { dependencySession, planFor, replicaRoom } from '../../core/testing/replica'
import { stallAware } from '../../net/clock'
import { DerivedEmitter, DUTY_STEP_MS, dueKey, type DutyPeer } from './derived'
import { AdaptiveGrace } from './grace'
import { turnWait, type Standing } from './liveness'

/** Two tasks the rules link (API_Contract), as t1 and t2. */
const TASKS = [
  { taskId: 't1', projectId: 'p', repository: 'api', title: 'Define user authentication API', description: 'REST contract for signing users in and out' },
  { taskId: 't2', projectId: 'p', repository: 'web', title: 'Build the login page', description: 'Form that calls the authentication API' },
]
/** A well-formed event id (CIDv1 base32 shape), distinct per n < 26. */
const ev = (n: number) => `b${String.fromCharCode(97 + (n % 26)).repeat(58)}` as EventId
const peer = (i: number) => `peer-${i}` as PeerId

const member = (peerId: PeerId, kind: MemberState['kind'], role: MemberState['role'] = kind === 'agent' ? 'agent' : 'reviewer'): MemberState => ({
  peerId, displayName: peerId, kind, role, capabilities: [], joinedAt: 0, joinEvent: ev(0), left: false,
})

/** A room whose members are given in `order`; tasks t1 and t2 claimed by `claimants[0]` and `claimants[1]`. */
function room(members: MemberState[], claimants: [PeerId, PeerId]): RoomState {
  const s = initialState('room' as RoomId)
  for (const m of members) s.members.set(m.peerId, m)
  claimants.forEach((c, i) => {
    const task = TASKS[i]
    s.tasks.set(task.taskId, { task, claimedBy: c, claimants: [c], claims: { [c]: ev(10 + i) }, status: 'claimed' })
  })
  return s
}

const DEPENDENCY = { task1: 't1', task2: 't2', relationship: 'API_Contract', confidence: 0.6, reason: 'test' }
const DEP: DueEvent = { kind: 'dependency.detected', payload: { dependency: DEPENDENCY, claims: [ev(10), ev(11)] } }

/** A stub peer holding `state`; counts what it authors. */
function stub(me: PeerId, state: RoomState, lagMs = 0): DutyPeer & { authored: string[] } {
  const authored: string[] = []
  return {
    authored,
    signer: { peerId: me },
    host: { replica: { state }, lagMs },
    author: (async (kind: string) => {
      authored.push(kind)
      return {} as never
    }) as DutyPeer['author'],
  }
}

/** The candidates in turn order and each one's wait, as `me` would compute them. */
function turns(state: RoomState, standing: (p: string) => Standing, grace = new AdaptiveGrace(4000)) {
  const d = new DerivedEmitter({ peer: stub(peer(0), state), standing })
  const ranked = d.ranking(state, DEP, dueKey(DEP))
  return { ranked, wait: (me: string) => turnWait(ranked, me, standing, grace) }
}

describe('one emitter per derived event', () => {
  const STANDINGS: Standing[] = ['heard', 'quiet', 'gone']
  const arbRoom = fc
    .record({
      agents: fc.integer({ min: 2, max: 12 }),
      humans: fc.integer({ min: 0, max: 3 }),
      claimants: fc.tuple(fc.nat(), fc.nat()),
      standings: fc.array(fc.constantFrom(...STANDINGS), { minLength: 15, maxLength: 15 }),
      seed: fc.nat(),
    })
    .map(({ agents, humans, claimants, standings, seed }) => {
      const ms = [...Array.from({ length: agents }, (_, i) => member(peer(i), 'agent')), ...Array.from({ length: humans }, (_, i) => member(peer(100 + i), 'human'))]
      const c: [PeerId, PeerId] = [peer(claimants[0] % agents), peer(claimants[1] % agents)]
      // The same members learned in another order (another peer's fold).
      const shuffled = [...ms].sort((a, b) => ((a.peerId.length * 31 + seed) % 7) - ((b.peerId.length * 31 + seed) % 7) || (a.peerId < b.peerId ? 1 : -1))
      return { a: room(ms, c), b: room(shuffled, c), claimants: c, standing: (p: string): Standing => standings[Number(p.split('-')[1]) % 15] }
    })

  it('elects one writer: the first candidate not gone waits nothing, each later one strictly longer, the same on every peer, involved peers first', () => {
    fc.assert(
      fc.property(arbRoom, ({ a, b, claimants, standing }) => {
        const { ranked, wait } = turns(a, standing)
        // Only agents run the duty; reviewers never stand in.
        expect(ranked.every((p) => a.members.get(p as PeerId)!.kind === 'agent')).toBe(true)
        expect(ranked).toEqual(turns(b, standing).ranked)
        const involved = ranked.filter((p) => claimants.includes(p as PeerId))
        expect(ranked.slice(0, involved.length)).toEqual(involved)
        const waits = ranked.filter((p) => standing(p) !== 'gone').map((p) => wait(p)!)
        // Whoever the first candidate is, it writes at once; nobody else does.
        expect(wait(ranked[0])).toBe(0)
        expect(waits.slice(1).every((w, i) => w > waits[i])).toBe(true)
        expect(wait(peer(100))).toBeNull()
      }),
      { numRuns: 200 },
    )
  })

  it('gives a candidate whose beats arrive the long grace, a quiet one the grace, a gone one none', () => {
    const s = room([member(peer(0), 'agent'), member(peer(1), 'agent'), member(peer(2), 'agent')], [peer(0), peer(1)])
    const grace = new AdaptiveGrace(4000)
    for (const [first, expected] of [['heard', grace.longMs], ['quiet', grace.ms], ['gone', 0]] as const) {
      const { ranked } = turns(s, () => 'heard')
      const { wait } = turns(s, (p) => (p === ranked[0] ? first : 'heard'), grace)
      expect(wait(ranked[1])).toBe(expected)
    }
  })
})

describe('the derived duty', () => {
  it('the elected emits at once and once, the next after one grace period, a bystander not before two', async () => {
    const s = room([member(peer(0), 'agent'), member(peer(1), 'agent'), member(peer(2), 'agent')], [peer(0), peer(1)])
    const order = turns(s, () => 'quiet').ranked as PeerId[]
    expect(order[2]).toBe(peer(2)) // the bystander ranks after both claimants
    let now = 1_000
    const duties = order.map((me) => {
      const p = stub(me, s)
      // Every peer quiet (beats missed): the grace is the base, 4 s.
      return { p, d: new DerivedEmitter({ peer: p, standing: () => 'quiet', graceMs: 4000, now: () => now }) }
    })
    const tick = async () => Promise.all(duties.map((x) => x.d.tick()))
    const counts = () => duties.map((x) => x.p.authored.filter((k) => k === 'dependency.detected').length)
    await tick()
    expect(counts()).toEqual([1, 0, 0])
    now += 3_999
    await tick()
    expect(counts()).toEqual([1, 0, 0]) // still due with the same evidence: written once is enough; nobody else yet
    now += 1
    await tick()
    expect(counts()[1]).toBe(1)
    expect(counts()[2]).toBe(0)
    now += 4_000
    await tick()
    expect(counts()[2]).toBe(1)
  })

  it('waits longer before taking over once others\' events have been slow to arrive here', async () => {
    const s = room([member(peer(0), 'agent'), member(peer(1), 'agent')], [peer(0), peer(1)])
    const second = turns(s, () => 'quiet').ranked[1] as PeerId
    let now = 0
    const p = stub(second, s)
    const d = new DerivedEmitter({ peer: p, standing: () => 'quiet', graceMs: 4000, now: () => now })
    const settle = (settled: boolean) => {
      if (settled) s.dependencies.set('t1|t2|API_Contract', { dependency: DEPENDENCY, event: ev(20), detectedBy: peer(9) })
      else s.dependencies.clear()
    }
    // Five times the elected one's event arrives 3.5 s after this peer saw the item due.
    for (let i = 0; i < 5; i++) {
      await d.tick()
      now += 3500
      settle(true)
      await d.tick()
      settle(false)
      now += 100
    }
    expect(p.authored).toEqual([])
    expect(d.grace.ms).toBeGreaterThan(4000)
    await d.tick()
    now += 4001
    await d.tick()
    expect(p.authored).toEqual([]) // a fixed 4 s grace would have written a copy here
    now += d.grace.ms
    await d.tick()
    expect(p.authored).toEqual(['dependency.detected'])
  })

  it('does not take over because its own loop was blocked: a stall counts as one step of waiting', async () => {
    const s = room([member(peer(0), 'agent'), member(peer(1), 'agent')], [peer(0), peer(1)])
    const second = turns(s, () => 'quiet').ranked[1] as PeerId
    let t = 0
    const p = stub(second, s)
    const d = new DerivedEmitter({ peer: p, standing: () => 'quiet', graceMs: 4000, now: stallAware(DUTY_STEP_MS, () => t) })
    await d.tick()
    t += 120_000 // blocked for two minutes: the elected one's event may sit unread in a socket
    await d.tick()
    expect(p.authored).toEqual([])
    for (let i = 0; i < 8; i++) (t += 500), await d.tick()
    expect(p.authored).toEqual(['dependency.detected'])
  })

  it('behind the room by 20 s (working through a backlog), it waits that much longer before taking over', async () => {
    await emitsAfter(1, 'quiet', 20_000, 24_000)
  })

  it('the first-ranked behind the room by more than a grace period waits its lag too; a little behind, it emits at once', async () => {
    const { s, candidate: first } = await emitsAfter(0, 'heard', 20_000, 20_000)
    const close = stub(first, s, 500)
    await new DerivedEmitter({ peer: close, standing: () => 'heard', graceMs: 4000, now: () => 0 }).tick()
    expect(close.authored).toEqual(['dependency.detected'])
  })
})


/**
 * The candidate of rank `rank` in a two-agent room, `lagMs` behind the room, emits the due
 * dependency exactly `waitMs` after first seeing it (not a millisecond earlier).
 */
async function emitsAfter(rank: 0 | 1, standing: 'quiet' | 'heard', lagMs: number, waitMs: number) {
  const s = room([member(peer(0), 'agent'), member(peer(1), 'agent')], [peer(0), peer(1)])
  const candidate = turns(s, () => standing).ranked[rank] as PeerId
  let now = 0
  const p = stub(candidate, s, lagMs)
  const d = new DerivedEmitter({ peer: p, standing: () => standing, graceMs: 4000, now: () => now })
  await d.tick()
  now += waitMs - 1
  await d.tick()
  expect(p.authored).toEqual([])
  now += 1
  await d.tick()
  expect(p.authored).toEqual(['dependency.detected'])
  return { s, candidate }
}

/**
 * A session in which bob has answered each of ann's plans 6 s after it was proposed, ann agrees
 * with her own at once, and v3 is out with ann's agreement: one agreement of two participants is
 * consensus, so the resolution is due while bob's answer is not in yet.
 */
async function awaitingBobOnV3() {
  const r = await replicaRoom()
  const { ann, bob, session } = await dependencySession(r)
  const say = (who: typeof ann, type: 'agreement' | 'concern') => r.replica.author(who, 'session.message', { session, text: type, type })
  for (const version of [1, 2]) {
    await r.replica.author(ann, 'plan.proposed', { session, version, plan: planFor('t1', 't2') })
    await say(ann, 'agreement')
    r.clock.advance(6000)
    await say(bob, 'concern')
  }
  await r.replica.author(ann, 'plan.proposed', { session, version: 3, plan: planFor('t1', 't2') })
  await say(ann, 'agreement')
  return { r, ann, bob, session, say }
}

describe('resolving a session', () => {
  it('waits for a participant’s answer as long as answers to plans have been taking, not a fixed 3 s', async () => {
    const { r, ann, bob, session, say } = await awaitingBobOnV3()
    const key = `session.resolved|${session}`
    let t = 0
    const peer = stub(ann.peerId as PeerId, r.replica.state)
    Object.defineProperty(peer.host.replica, 'state', { get: () => r.replica.state })
    const d = new DerivedEmitter({ peer, standing: () => 'heard', now: () => t, wall: r.clock.now })
    const resolvedDue = () => r.replica.due(r.clock.now()).some((e) => dueKey(e) === key)
    expect(resolvedDue()).toBe(true)
    await d.tick()
    t = 4000
    await d.tick()
    expect(peer.authored).not.toContain('session.resolved')
    // Bob's concern on v3 arrives after 6 s, as before: nothing was resolved in between.
    t = 6000
    r.clock.advance(6000)
    await say(bob, 'concern')
    await d.tick()
    expect(peer.authored).not.toContain('session.resolved')
    expect(resolvedDue()).toBe(false)
  })

  it('behind the room, the resolution waits its lag once on top of the answer wait, not twice', async () => {
    const { r, ann, session } = await awaitingBobOnV3()
    // Bob never answers v3: each emitter resolves once its wait is over; when, with and without lag?
    const resolvesAt = async (lagMs: number): Promise<number> => {
      const peer = stub(ann.peerId as PeerId, r.replica.state, lagMs)
      let t = 0
      const d = new DerivedEmitter({ peer, standing: () => 'heard', graceMs: 4000, now: () => t, wall: r.clock.now })
      for (; t <= 300_000; t += 250) {
        await d.tick()
        if (peer.authored.includes('session.resolved')) return t
      }
      throw new Error('never resolved')
    }
    const calm = await resolvesAt(0)
    const behind = await resolvesAt(10_000)
    expect(behind - calm).toBeGreaterThanOrEqual(10_000 - 250)
    expect(behind - calm).toBeLessThanOrEqual(10_000 + 250)
  })
})
