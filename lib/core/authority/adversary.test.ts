/**
 * Authority under a searching adversary (ADR 0065): random histories in which members with
 * valid keys — an admin, an agent, fresh keys holding an expiring and a shared invite — sign
 * arbitrary events with arbitrary time, Lamport clock, deps, seq and payload, interleaved with
 * honest members on two partitions, delivered to several replicas in random orders with
 * duplicates. `CHORUS_PROPERTY_RUNS` raises the number of runs.
 */
import { bytesToHex } from '@noble/hashes/utils.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Verifier } from '../events/signer'
import type { EventId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { Replica } from '../state/replica'
import type { RoomState } from '../state/types'
import { ADVERSARIES, attackedRoom, EVIL_KINDS, HONEST, TIME_OFFSETS, type AttackedRoom, type Move } from '../testing/adversary'
import { oracleStanding, type OracleStanding } from '../testing/authority-oracle'
import { testVerifier } from '../testing/ed25519'

const RUNS = Number(process.env.CHORUS_PROPERTY_RUNS ?? 150)
/** How far ahead of a replica's clock an event may be stamped and still be admitted. */
const SKEW = 1000
const HUMANS = [0, 1, 6]
const AGENTS = [3, 4]

/** Signatures are checked once per distinct (author, bytes, sig) across the replicas of a run. */
function memoVerifier(): Verifier {
  const seen = new Map<string, boolean>()
  return {
    verify(peer, bytes, sig) {
      const key = `${peer}|${bytesToHex(sig)}|${bytes.length}`
      let ok = seen.get(key)
      if (ok === undefined) seen.set(key, (ok = testVerifier.verify(peer, bytes, sig) as boolean))
      return ok
    },
  }
}

const pick = (xs: readonly number[]) => fc.constantFrom(...xs)
const move: fc.Arbitrary<Move> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('claim' as const), who: pick([...AGENTS, 5]), task: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('complete' as const), who: pick([...AGENTS, 5]), task: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('message' as const), who: pick([...AGENTS, ...HUMANS]), pick: fc.nat(9), agree: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('plan' as const), who: pick(AGENTS), pick: fc.nat(9) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('human' as const), who: pick(HUMANS), pick: fc.nat(9) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('due' as const), who: pick([...AGENTS, ...HUMANS]) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('revoke' as const), who: pick([0, 1]), target: pick([2, 5, 7, 8, 3, 4]) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('inviteRevoke' as const), who: pick([0, 1]), invite: fc.nat(4) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('evil' as const),
      who: pick(ADVERSARIES),
      // Joins and revocations twice as often: they are what authority is about.
      kind: fc.constantFrom(...EVIL_KINDS, 'member.joined', 'member.revoked', 'invite.revoked'),
      pick: fc.nat(30),
      target: fc.nat(30),
      deps: fc.array(fc.nat(500), { maxLength: 8 }),
      time: fc.nat(TIME_OFFSETS.length - 1),
      lamport: fc.constantFrom('min' as const, 'min' as const, 'low' as const, 'high' as const),
      seq: fc.constantFrom('next' as const, 'next' as const, 'next' as const, 'fork' as const, 'skip' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('sync' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 60 }) }) },
)

/** Two honest agents claim a related pair on both partitions, so sessions are there to attack. */
const PRELUDE: Move[] = [
  { t: 'claim', who: 3, task: 0 },
  { t: 'claim', who: 4, task: 1 },
  { t: 'sync' },
  { t: 'due', who: 3 },
  { t: 'sync' },
  { t: 'due', who: 4 },
  { t: 'sync' },
]

/**
 * Half the runs start with the owner revoking an invite on one partition while a fresh key
 * redeems it on the other: the join is admitted where it is made and void once both meet.
 */
const REDEEM_REVOKED: Move[] = [
  { t: 'inviteRevoke', who: 0, invite: 1 },
  { t: 'evil', who: 8, kind: 'member.joined', pick: 0, target: 0, deps: [], time: 3, lamport: 'min', seq: 'next' },
]

/** Every event id the state mentions anywhere: what has had an effect. */
function idsIn(value: unknown, ids: ReadonlySet<string>, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (ids.has(value)) out.add(value)
  } else if (value instanceof Map) for (const [k, v] of value) (idsIn(k, ids, out), idsIn(v, ids, out))
  else if (Array.isArray(value)) for (const v of value) idsIn(v, ids, out)
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) for (const v of Object.values(value)) idsIn(v, ids, out)
  return out
}

function expectAuthorityHolds(st: RoomState, events: readonly StoredEvent[], o: OracleStanding, world: AttackedRoom, replica: Replica): void {
  const byId = new Map(events.map((e) => [e.id, e]))
  // The index's verdicts are the naive reading's.
  for (const e of events) {
    const cut = o.cuts.get(e.event.author)
    expect(replica.authority.counts(e), `counts ${e.event.kind} ${e.id}`).toBe(cut === undefined || e.event.seq <= cut)
    if (e.event.kind === 'member.joined') expect(replica.authority.joinVoid(e.id) !== undefined, `join ${e.id}`).toBe(o.voidJoins.has(e.id))
    if (e.event.kind === 'member.revoked' || e.event.kind === 'invite.revoked') expect(replica.authority.actVoid(e.id), `act ${e.id}`).toBe(o.voidActs.has(e.id))
  }
  // Nothing an author wrote after its cut has any effect.
  const effective = idsIn(st, new Set(byId.keys()))
  for (const id of effective) {
    const e = byId.get(id as EventId) as StoredEvent
    expect(e.event.seq, `${e.event.kind} by a cut-off author has an effect`).toBeLessThanOrEqual(o.cuts.get(e.event.author) ?? Infinity)
  }
  // Every current member holds exactly the role a valid, unrevoked join grants.
  for (const m of st.members.values()) {
    if (m.role === 'owner') continue
    const join = byId.get(m.joinEvent) as StoredEvent & { event: { kind: 'member.joined' } }
    expect(o.voidJoins.has(m.joinEvent), `${m.displayName} holds a role from a void join`).toBe(false)
    expect(m.role).toBe(join.event.payload.invite?.role ?? 'reviewer')
    if (!m.left) expect(join.event.seq).toBeLessThanOrEqual(o.cuts.get(m.peerId) ?? Infinity)
  }
  // Membership read from the index alone is the fold's record, for every key that wrote anything.
  for (const peer of new Set(events.map((e) => e.event.author))) {
    const m = st.members.get(peer)
    const fold = m && { displayName: m.displayName, kind: m.kind, role: m.role, capabilities: m.capabilities, left: m.left, revoked: m.revoked === true }
    expect(replica.authority.member(peer), `membership of ${peer}`).toEqual(fold)
  }
  for (const x of st.sessions.values()) {
    for (const [i, h] of x.history.entries()) {
      const by = st.members.get(h.by)
      const human = by?.role === 'owner' || by?.role === 'admin' || by?.role === 'reviewer'
      const e = byId.get(h.event) as StoredEvent
      // Sessions change only by their rules.
      if (h.kind.startsWith('escalation.') || h.kind === 'plan.approved' || h.kind === 'plan.edited') expect(human, `${h.kind} by a non-human`).toBe(true)
      if (e.event.kind === 'session.escalated' && e.event.payload.reason === 'requested') expect(human || x.participants.includes(h.by)).toBe(true)
      if (e.event.kind === 'session.closed' && e.event.payload.reason === 'completed') {
        const done = (e.event.payload.evidence ?? []).slice(1).map((id) => byId.get(id)?.event)
        expect(new Set(done.map((d) => (d?.kind === 'task.completed' ? d.payload.taskId : undefined)))).toEqual(new Set(x.tasks))
      }
      // No time-based decision earlier than honest clocks allow.
      const effectiveTime = Math.max(world.realTime.get(h.event) ?? 0, e.event.time - SKEW)
      if (e.event.kind === 'session.escalated' && e.event.payload.reason === 'duration') {
        const activation = byId.get(x.history.slice(0, i).filter((y) => y.kind === 'session.opened' || y.kind === 'escalation.returned').pop()?.event as EventId)
        if (activation && (world.honest.has(activation.event.author) || (x.witnessedBy !== null && world.honest.has(x.witnessedBy)))) {
          // Against the limit configured where it folded, which the escalation names.
          expect(effectiveTime - (world.realTime.get(activation.id) as number), 'duration escalation too early').toBeGreaterThanOrEqual(e.event.payload.maxDurationMs - SKEW)
        }
      }
    }
    if (x.status === 'closed' && x.closeReason === 'inactivity') {
      const close = x.history[x.history.length - 1]
      const closeAt = Math.max(world.realTime.get(close.event) ?? 0, close.at - SKEW)
      for (const h of x.history.slice(0, -1)) if (world.honest.has(h.by)) expect(closeAt - h.at, 'closed while honest activity was recent').toBeGreaterThanOrEqual(st.config.inactivityTimeoutMs - SKEW)
    }
  }
}

describe('authority under a searching adversary', () => {
  it('replicas agree, and no revoked, void or clock-lying member gets an effect the rules deny', async () => {
    const seen = { cuts: 0, voidJoins: 0, voidActs: 0, inert: 0, escalated: 0, closed: 0 }
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(move, { minLength: 10, maxLength: 45 }), fc.array(fc.integer(), { minLength: 3, maxLength: 3 }), async (redeem, moves, seeds) => {
        const world = await attackedRoom([...PRELUDE, ...(redeem ? REDEEM_REVOKED : []), ...moves, { t: 'sync' }, { t: 'due', who: 3 }])
        const verifier = memoVerifier()
        const now = () => world.end + 60_000
        let reference: { digest: string; root: string } | undefined
        for (const seed of seeds) {
          let s = seed >>> 0
          const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
          const deliveries = [...world.pool, ...world.pool.filter(() => rand() < 0.2)].map((e) => e.bytes)
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = Math.floor(rand() * (i + 1))
            ;[deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]]
          }
          const replica = new Replica({ room: world.room, verifier, now, maxClockSkewMs: SKEW, checkpoints: { every: 1 + (seed & 7), spread: 1e9, keep: 3 } })
          for (const bytes of deliveries) await replica.add(bytes)
          const got = { digest: replica.digest(), root: replica.summary().root }
          if (reference === undefined) {
            reference = got
            const events = replica.log.all()
            const o = oracleStanding(events, world.room)
            expectAuthorityHolds(replica.state, events, o, world, replica)
            seen.cuts += o.cuts.size
            seen.voidJoins += o.voidJoins.size
            seen.voidActs += o.voidActs.size
            seen.inert += events.filter((e) => !replica.authority.counts(e)).length
            seen.escalated += [...replica.state.sessions.values()].filter((x) => x.escalations.length > 0).length
            seen.closed += [...replica.state.sessions.values()].filter((x) => x.status === 'closed').length
          } else expect(got).toEqual(reference)
        }
      }),
      { numRuns: RUNS },
    )
    // What the runs exercised, so the property cannot hold vacuously.
    for (const [what, n] of Object.entries(seen)) expect(n, `${what} in ${JSON.stringify(seen)}`).toBeGreaterThan(0)
  }, 600_000)
})
