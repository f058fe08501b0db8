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
import { DerivedEmitter, dueKey, emitterCandidates, type DutyPeer } from './derived'

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
function stub(me: PeerId, state: RoomState): DutyPeer & { authored: string[] } {
  const authored: string[] = []
  return {
    authored,
    signer: { peerId: me },
    host: { replica: { state } },
    author: (async (kind: string) => {
      authored.push(kind)
      return {} as never
    }) as DutyPeer['author'],
  }
}

const indexOf = (state: RoomState, me: PeerId, isLive: (p: string) => boolean, e: DueEvent = DEP) =>
  new DerivedEmitter({ peer: stub(me, state), isLive }).emitterIndex(state, e, dueKey(e), me)

describe('one emitter per derived event', () => {
  const arbRoom = fc
    .record({
      agents: fc.integer({ min: 2, max: 12 }),
      humans: fc.integer({ min: 0, max: 3 }),
      claimants: fc.tuple(fc.nat(), fc.nat()),
      dead: fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }),
      seed: fc.nat(),
    })
    .map(({ agents, humans, claimants, dead, seed }) => {
      const ms = [...Array.from({ length: agents }, (_, i) => member(peer(i), 'agent')), ...Array.from({ length: humans }, (_, i) => member(peer(100 + i), 'human'))]
      const c: [PeerId, PeerId] = [peer(claimants[0] % agents), peer(claimants[1] % agents)]
      // The same members learned in another order (another peer's fold).
      const shuffled = [...ms].sort((a, b) => ((a.peerId.length * 31 + seed) % 7) - ((b.peerId.length * 31 + seed) % 7) || (a.peerId < b.peerId ? 1 : -1))
      return { a: room(ms, c), b: room(shuffled, c), claimants: c, live: (p: string) => !dead[Number(p.split('-')[1]) % 15] }
    })

  it('gives the live candidates the indexes 0..L−1, the same on every peer, involved peers first', () => {
    fc.assert(
      fc.property(arbRoom, ({ a, b, claimants, live }) => {
        const candidates = emitterCandidates(a, DEP.kind)
        // Only agents run the duty; reviewers never stand in.
        expect(candidates.every((p) => a.members.get(p as PeerId)!.kind === 'agent')).toBe(true)
        const liveOnes = candidates.filter(live)
        const idx = liveOnes.map((p) => indexOf(a, p as PeerId, live))
        expect([...idx].sort((x, y) => x - y)).toEqual(liveOnes.map((_, i) => i))
        for (const p of candidates) expect(indexOf(b, p as PeerId, live)).toBe(indexOf(a, p as PeerId, live))
        const involvedLive = liveOnes.filter((p) => claimants.includes(p as PeerId))
        const firstIdx = (ps: string[]) => ps.map((p) => indexOf(a, p as PeerId, live))
        if (involvedLive.length > 0) expect(Math.max(...firstIdx(involvedLive))).toBe(involvedLive.length - 1)
        expect(indexOf(a, peer(100), live)).toBe(-1)
      }),
      { numRuns: 200 },
    )
  })

  it('counts a dead peer above this one out, so this one moves up', () => {
    const s = room([member(peer(0), 'agent'), member(peer(1), 'agent'), member(peer(2), 'agent')], [peer(0), peer(1)])
    const all = () => true
    const order = [0, 1, 2].map(peer).sort((x, y) => indexOf(s, x, all) - indexOf(s, y, all))
    expect(indexOf(s, order[1], (p) => p !== order[0])).toBe(0)
    expect(indexOf(s, order[2], (p) => p !== order[0])).toBe(1)
  })
})

describe('the derived duty', () => {
  it('the elected emits at once, the next after one grace period, a bystander not before two', async () => {
    const s = room([member(peer(0), 'agent'), member(peer(1), 'agent'), member(peer(2), 'agent')], [peer(0), peer(1)])
    const order = [0, 1, 2].map(peer).sort((x, y) => indexOf(s, x, () => true) - indexOf(s, y, () => true))
    expect(order[2]).toBe(peer(2)) // the bystander ranks after both claimants
    let now = 1_000
    const duties = order.map((me) => {
      const p = stub(me, s)
      return { p, d: new DerivedEmitter({ peer: p, isLive: () => true, graceMs: 4000, now: () => now }) }
    })
    const tick = async () => Promise.all(duties.map((x) => x.d.tick()))
    const counts = () => duties.map((x) => x.p.authored.filter((k) => k === 'dependency.detected').length)
    await tick()
    expect(counts()).toEqual([1, 0, 0])
    now += 3_999
    await tick()
    expect(counts()).toEqual([2, 0, 0]) // the stub state never changes, so the elected one retries; nobody else yet
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
    const second = [0, 1].map(peer).sort((x, y) => indexOf(s, x, () => true) - indexOf(s, y, () => true))[1]
    let now = 0
    const p = stub(second, s)
    const d = new DerivedEmitter({ peer: p, isLive: () => true, graceMs: 4000, now: () => now })
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
})

