/**
 * Convergence (DESIGN §8): random valid histories from several authors — claims, messages,
 * plans, approvals, escalations, due derived events, and an equivocating author — authored
 * on two partitions that sync now and then, delivered to 5 replicas in random orders with
 * duplicates: every replica ends with the same state digest and summary root.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { signEvent } from '../events/codec'
import type { Signer } from '../events/signer'
import { signInvite } from '../events/verify'
import type { Role } from '../events/kinds/common'
import { createGenesis, nextEnvelope } from '../log/author'
import { EventRejectedError } from '../log/reasons'
import { due } from '../sessions/due'
import { testSigner, testVerifier } from '../testing/ed25519'
import { planFor } from '../testing/replica'
import { inviteBody, testClock } from '../testing/room'
import { CHORUS_TASKS } from '../testing/tasks'
import type { FoldOptions } from './fold'
import { Replica } from './replica'
import { rng } from '../testing/rng'

const TEXTS = ['I agree', 'Sounds good', 'I have a concern', 'Should the API go first?', 'Let us split the work', 'looks good to me']

type Action =
  | { t: 'claim' | 'release'; who: number; task: number }
  | { t: 'message'; who: number; pick: number; text: number }
  | { t: 'plan' | 'escalate' | 'approve' | 'edit' | 'claimEsc' | 'resolveEsc' | 'returnEsc'; who: number; pick: number }
  | { t: 'due'; who: number }
  | { t: 'fork'; task: number; other: number }
  | { t: 'sync' }
  | { t: 'tick'; minutes: number }
  | { t: 'configure'; threshold: number }
  | { t: 'rule'; add: boolean }

/** Actor indices: 0 owner, 1–3 agents a0 a1 a2, 4 eve (agent, equivocates), 5–6 reviewers. */
const agent = fc.constantFrom(1, 2, 3, 4)
const human = fc.constantFrom(0, 5, 6)
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('claim' as const), who: agent, task: fc.nat(CHORUS_TASKS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), who: agent, task: fc.nat(CHORUS_TASKS.length - 1) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('message' as const), who: fc.oneof(agent, human), pick: fc.nat(9), text: fc.nat(TEXTS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('plan' as const), who: agent, pick: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('escalate' as const), who: fc.oneof(agent, human), pick: fc.nat(9) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('approve' as const, 'edit' as const, 'claimEsc' as const, 'resolveEsc' as const, 'returnEsc' as const), who: human, pick: fc.nat(9) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('due' as const), who: fc.oneof(agent, human) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('fork' as const), task: fc.nat(CHORUS_TASKS.length - 1), other: fc.nat(CHORUS_TASKS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('sync' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('configure' as const), threshold: fc.integer({ min: 2, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rule' as const), add: fc.boolean() }) },
)

interface Actor {
  signer: Signer
  role: Exclude<Role, 'owner'> | 'owner'
  home: number
}

/**
 * Checkpoint spacings of the delivered replicas (the first is the default): histories here are
 * short, so tiny spacings put copy-on-write checkpoints, rollbacks and replays from the empty
 * state (older than every kept checkpoint) in play; the last two thin their checkpoints (merged undos).
 */
const CHECKPOINTS: readonly FoldOptions[] = [{}, { every: 1, spread: 1e9, keep: 1e9 }, { every: 2, spread: 1e9, keep: 2 }, { every: 3, spread: 1e9, keep: 5 }, { every: 5, spread: 1e9, keep: 1 }, { every: 1, spread: 1, keep: 1e9 }, { every: 2, spread: 2, keep: 4 }]

/** The state with Maps as entry lists in insertion order: replicas must agree on that too. */
function ordered(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, ordered(v)])
  if (Array.isArray(value)) return value.map(ordered)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ordered(v)]))
  return value
}

/** Related pairs from the CHORUS examples (indices into CHORUS_TASKS), in different repositories. */
const PAIRS: readonly [number, number][] = [[0, 1], [0, 2], [3, 4], [5, 6], [7, 8]]

/** The actor index of reviewer r0 (the owner, four agents, then the reviewers). */
const REVIEWER = 5

/** A prelude that makes sessions likely: two agents in different partitions claim a related pair. */
const prelude = (pair: number, extra: number): Action[] => [
  { t: 'claim', who: 1, task: PAIRS[pair][0] },
  { t: 'claim', who: 3, task: PAIRS[pair][1] },
  { t: 'claim', who: 2, task: extra },
  { t: 'sync' },
  { t: 'due', who: 1 },
  { t: 'due', who: 3 },
  { t: 'sync' },
  { t: 'due', who: 2 },
  { t: 'due', who: 3 },
  { t: 'sync' },
]

async function buildHistory(actions: readonly Action[], config: { escalationThreshold: number }) {
  const clock = testClock()
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'prop', open: false, config: { ...config, maxSessionDurationMs: 40 * 60_000 }, owner: { displayName: 'O', kind: 'human', capabilities: [] } }, clock.now())
  // The second partition folds with a checkpoint every 2 events, so authoring reads copy-on-write state too.
  const sources = [{}, CHECKPOINTS[2]].map((checkpoints) => new Replica({ room: genesis.id, verifier: testVerifier, now: clock.now, checkpoints }))
  for (const s of sources) await s.add(genesis)
  const actors: Actor[] = [{ signer: owner, role: 'owner', home: 0 }]
  const roles: [string, Exclude<Role, 'owner'>, number][] = [
    ['a0', 'agent', 0], ['a1', 'agent', 0], ['a2', 'agent', 1], ['eve', 'agent', 1], ['r0', 'reviewer', 0], ['r1', 'reviewer', 1],
  ]
  for (const [name, role, home] of roles) {
    const signer = testSigner(name)
    const invite = await signInvite(inviteBody(genesis.id, owner, role, { nonce: `nonce-${name}-x` }), owner)
    await sources[home].author(signer, 'member.joined', { displayName: name, kind: role === 'agent' ? 'agent' : 'human', capabilities: [], invite })
    actors.push({ signer, role, home })
  }
  const sync = async () => {
    for (const from of sources) for (const to of sources) if (from !== to) for (const e of from.log.all()) await to.add(e.bytes)
  }
  await sync()
  const eve = actors[4]

  for (const a of actions) {
    try {
      await step(a)
    } catch (e) {
      // An action that does not apply right now (e.g. releasing an unclaimed task) is skipped.
      if (!(e instanceof EventRejectedError)) throw e
    }
  }
  await sync()
  return { genesis, events: sources[0].log.all(), reference: sources[0], clock }

  async function step(a: Action): Promise<void> {
    if (a.t === 'sync') return sync()
    if (a.t === 'tick') return clock.advance(a.minutes * 60_000)
    if (a.t === 'fork') {
      // Eve signs two different events at the same seq and publishes both.
      const log = sources[eve.home].log
      const x = await signEvent(nextEnvelope(log, eve.signer, 'task.claimed', CHORUS_TASKS[a.task], clock.now()), eve.signer)
      const y = await signEvent(nextEnvelope(log, eve.signer, 'task.claimed', { ...CHORUS_TASKS[a.other], title: 'forked' }, clock.now()), eve.signer)
      await sources[eve.home].add(x)
      await sources[eve.home].add(y)
      return
    }
    if (a.t === 'configure') {
      await sources[0].author(owner, 'room.configured', { config: { escalationThreshold: a.threshold } })
      return
    }
    if (a.t === 'rule') {
      // A custom rule linking the README task to anything about "token": changes dependencies mid-history.
      if (a.add) await sources[0].author(owner, 'rule.added', { rule: { name: 'Docs_Token', description: 'docs', keywords: ['token', 'readme'], requires: [['readme'], ['token']] } })
      else if (sources[0].state.rules.has('Docs_Token')) await sources[0].author(owner, 'rule.removed', { name: 'Docs_Token' })
      return
    }
    const actor = actors[a.who % actors.length]
    const replica = sources[actor.home]
    const sessions = [...replica.state.sessions.values()].sort((p, q) => (p.id < q.id ? -1 : 1))
    const session = 'pick' in a && sessions.length > 0 ? sessions[a.pick % sessions.length] : undefined
    const as = actor.signer
    const agent = actor.role === 'agent'
    switch (a.t) {
      case 'claim':
        if (agent) await replica.author(as, 'task.claimed', CHORUS_TASKS[a.task])
        return
      case 'release':
        if (agent && replica.state.tasks.get(CHORUS_TASKS[a.task].taskId)?.claimants.includes(as.peerId)) {
          await replica.author(as, 'task.released', { taskId: CHORUS_TASKS[a.task].taskId })
        }
        return
      case 'due':
        // Whatever `due` proposes must be admitted by the replica that proposed it.
        for (const d of due(replica.state, clock.now())) {
          await replica.author(as, d.kind, d.payload).catch((e: unknown) => {
            throw new Error(`due ${d.kind} was refused: ${(e as Error).message}`)
          })
        }
        return
      case 'message':
        if (session) await replica.author(as, 'session.message', { session: session.id, text: TEXTS[a.text] })
        return
      case 'plan':
        if (session && agent) {
          const [t1, t2 = t1] = session.tasks
          await replica.author(as, 'plan.proposed', { session: session.id, version: session.plans.length + 1, plan: planFor(t1, t2) })
        }
        return
      case 'escalate':
        if (session) await replica.author(as, 'session.escalated', { session: session.id, reason: 'requested', note: 'stuck' })
        return
      default:
        if (!session || agent) return
        if (a.t === 'approve') await replica.author(as, 'plan.approved', { session: session.id, version: Math.max(1, session.plans.length) })
        if (a.t === 'edit') {
          const [t1, t2 = t1] = session.tasks
          await replica.author(as, 'plan.edited', { session: session.id, version: session.plans.length + 1, plan: planFor(t2, t1, 'Human reorder') })
        }
        if (a.t === 'claimEsc') await replica.author(as, 'escalation.claimed', { session: session.id })
        if (a.t === 'resolveEsc') await replica.author(as, 'escalation.resolved', { session: session.id, decision: 'go' })
        if (a.t === 'returnEsc') await replica.author(as, 'escalation.returned', { session: session.id, guidance: 'try again' })
    }
  }
}

describe('convergence', () => {
  it('5 replicas, random delivery orders with duplicates → identical digest and summary root', async () => {
    // What the generated histories exercised, so the property cannot pass vacuously.
    const seen = { sessions: 0, quarantined: 0, escalated: 0, resolved: 0, rewinds: 0, ignored: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.nat(PAIRS.length - 1), fc.nat(CHORUS_TASKS.length - 1), fc.array(action, { minLength: 5, maxLength: 50 }), fc.boolean()).map(([p, x, rest, decide]) => [
          ...prelude(p, x),
          ...rest,
          // Half the histories end with a reviewer escalating a session and deciding it, so
          // human resolutions are always among what the property covers.
          ...(decide ? [{ t: 'sync' } as const, { t: 'escalate', who: REVIEWER, pick: 0 } as const, { t: 'resolveEsc', who: REVIEWER, pick: 0 } as const] : []),
          { t: 'sync' } as const,
          { t: 'due', who: 1 } as const,
        ]),
        fc.array(fc.integer(), { minLength: CHECKPOINTS.length, maxLength: CHECKPOINTS.length }),
        fc.integer({ min: 2, max: 6 }),
        async (actions, seeds, escalationThreshold) => {
          const { genesis, events, reference, clock } = await buildHistory(actions, { escalationThreshold })
          const expected = { digest: reference.digest(), root: reference.summary().root }
          const st = reference.state
          const sessions = [...st.sessions.values()]
          seen.sessions += sessions.length
          seen.quarantined += st.quarantined.size
          seen.escalated += sessions.filter((x) => x.escalations.length > 0).length
          seen.resolved += sessions.filter((x) => x.resolution).length
          seen.ignored += st.ignored.size
          for (const [k, seed] of seeds.entries()) {
            const random = rng(seed)
            // Duplicates, plus junk a Byzantine peer might send: a tampered copy and random bytes.
            const tampered = events[Math.floor(random() * events.length)].bytes.slice()
            tampered[tampered.length - 1] ^= 1
            const junk = [tampered, Uint8Array.from({ length: 40 }, () => Math.floor(random() * 256))]
            const deliveries = [...events, ...events.filter(() => random() < 0.3)].map((e) => e.bytes).concat(junk)
            for (let i = deliveries.length - 1; i > 0; i--) {
              const j = Math.floor(random() * (i + 1))
              ;[deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]]
            }
            const replica = new Replica({ room: genesis.id, verifier: testVerifier, now: clock.now, checkpoints: CHECKPOINTS[k] })
            for (const bytes of deliveries) await replica.add(bytes)
            expect(replica.log.size).toBe(events.length)
            expect({ digest: replica.digest(), root: replica.summary().root }).toEqual(expected)
            expect(ordered(replica.state)).toEqual(ordered(st))
            seen.rewinds += replica.rewindCount
          }
        },
      ),
      { numRuns: 25 },
    )
    for (const [what, n] of Object.entries(seen)) expect(n, `${what} in ${JSON.stringify(seen)}`).toBeGreaterThan(0)
  }, 120_000)
})
