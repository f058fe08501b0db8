import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Signer } from '../events/signer'
import { createGenesis } from '../log/author'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { replicaRoom } from '../testing/replica'
import { inviteBody, T0 } from '../testing/room'
import { signInvite } from '../events/verify'
import { planFor } from '../testing/replica'
import { AUTH_API, LOGIN_PAGE, task } from '../testing/tasks'
import type { StoredEvent } from '../log/stored'
import { stateDigest } from './digest'
import { CHECKPOINT_EVERY, Fold } from './fold'
import { foldOrder } from './order'
import { Replica } from './replica'

/** A room with two agents and `n` claims alternating between them. */
async function history(n: number) {
  const room = await replicaRoom()
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  for (let i = 0; i < n; i++) await room.replica.author(i % 2 ? a : b, 'task.claimed', task(`t${i}`, `repo${i % 3}`, `Task number ${i}`))
  return { room, a, b }
}

describe('Fold', () => {
  it('gives the same state for a late event deep in the past as for in-order delivery', async () => {
    const { room } = await history(CHECKPOINT_EVERY * 2 + 5)
    const events = room.replica.log.all()
    const late = events[3]
    const replica = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    // Everything but one early event: the rest of that author's chain waits for it.
    for (const e of events) if (e !== late) await replica.add(e.bytes)
    expect(replica.digest()).not.toBe(room.replica.digest())
    await replica.add(late.bytes)
    expect(replica.digest()).toBe(room.replica.digest())
  })

  it('rewinds when a concurrent event sorts before an already-folded one', async () => {
    const { room, a, b } = await history(6)
    const other = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of room.replica.log.all()) await other.add(e.bytes)
    // Authored in two partitions: same Lamport clock, order decided by id.
    const x = await room.replica.author(a, 'task.claimed', task('x', 'r1', 'Write docs'))
    const y = await other.author(b, 'task.claimed', task('y', 'r2', 'Write tests'))
    expect(x.event.lamport).toBe(y.event.lamport)
    const [first, second] = x.id < y.id ? [x, y] : [y, x]
    const replica = new Replica({ room: room.replica.log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of other.log.all()) if (e.id !== y.id) await replica.add(e.bytes)
    await replica.add(second)
    const before = replica.rewindCount
    await replica.add(first)
    expect(replica.rewindCount).toBe(before + 1)
    await room.replica.add(y)
    expect(replica.digest()).toBe(room.replica.digest())
  })

  it('drops a quarantined author from its forked seq on, on every delivery order', async () => {
    const { room, a } = await history(4)
    const log = room.replica.log
    const x = await forge(log, a, 'task.claimed', task('x', 'r', 'Write docs'), T0)
    const y = await forge(log, a, 'task.claimed', task('y', 'r', 'Write tests'), T0)
    await room.replica.add(x)
    expect(room.replica.state.tasks.has('x')).toBe(true)
    expect((await room.replica.add(y)).status).toBe('rejected')
    const s = room.replica.state
    expect(s.tasks.has('x') || s.tasks.has('y')).toBe(false)
    expect(s.quarantined.get(a.peerId)).toBe(x.event.seq)
    // Claims before the fork still count.
    expect(s.tasks.get('t1')?.claimedBy).toBe(a.peerId)

    const reversed = new Replica({ room: log.room, verifier: testVerifier, now: room.clock.now })
    for (const e of [...log.all()].reverse()) await reversed.add(e.bytes)
    expect(reversed.digest()).toBe(room.replica.digest())
  })

  it('ignores joins beyond an invite maxUses, deterministically', async () => {
    const owner = testSigner('owner')
    const genesis = await createGenesis(owner, { name: 'r', open: false, config: {}, owner: { displayName: 'O', kind: 'human', capabilities: [] } }, T0)
    const replica = new Replica({ room: genesis.id, verifier: testVerifier, now: () => T0 })
    await replica.add(genesis)
    const invite = await signInvite(inviteBody(genesis.id, owner, 'agent', { maxUses: 1 }), owner)
    const p = testSigner('p')
    const q = testSigner('q')
    await replica.author(p, 'member.joined', { displayName: 'p', kind: 'agent', capabilities: [], invite })
    await replica.author(q, 'member.joined', { displayName: 'q', kind: 'agent', capabilities: [], invite })
    expect(replica.state.ignored.get('invite_used_up')).toBe(1)
    expect(replica.state.members.has(p.peerId)).toBe(true)
    expect(replica.state.members.has(q.peerId)).toBe(false)
  })
})

/** The state with every Map as its entry list in insertion order, so order differences show. */
function ordered(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, ordered(v)])
  if (Array.isArray(value)) return value.map(ordered)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ordered(v)]))
  return value
}

/**
 * A room whose history changes every kind of record after it was created: a dependency session
 * with many messages and plan versions, completed and released tasks, a rule added then
 * removed (a Map delete), a member leaving (its tasks released).
 */
/** The state folded in order from `events`, with the room's authority. */
function foldOf(room: Awaited<ReturnType<typeof richHistory>>['room'], events: readonly StoredEvent[]) {
  const f = new Fold(room.replica.log.room, {}, room.replica.authority)
  for (const e of events) f.insert(e)
  return f.state
}

async function richHistory() {
  const room = await replicaRoom({ escalationThreshold: 500 })
  const a = await room.member('agent-a', 'agent')
  const b = await room.member('agent-b', 'agent')
  const c = await room.member('agent-c', 'agent')
  await room.replica.author(a, 'task.claimed', AUTH_API)
  await room.replica.author(b, 'task.claimed', LOGIN_PAGE)
  expect(await room.emitDue(a)).toBe(1) // dependency.detected
  expect(await room.emitDue(b)).toBe(1) // session.opened
  const session = [...room.replica.state.sessions.keys()][0]
  const gone = new Set<Signer>()
  for (let i = 0; i < 120; i++) {
    const who = [a, b, c][i % 3]
    const holder = [a, b, c][(i - 9 + 3) % 3]
    room.clock.advance(1000)
    if (gone.has(who) || (i % 4 === 1 && gone.has(holder))) continue
    if (i % 4 === 0) await room.replica.author(who, 'task.claimed', task(`t${i}`, `repo${i % 5}`, `Task number ${i}`))
    else if (i % 4 === 1 && i > 8) await room.replica.author(holder, 'task.completed', { taskId: `t${i - 9}` })
    else if (i % 10 === 2) await room.replica.author(a, 'plan.proposed', { session, version: room.replica.state.sessions.get(session)!.plans.length + 1, plan: planFor('auth-api', 'login-page') })
    else if (i === 30) await room.replica.author(room.owner, 'rule.added', { rule: { name: 'Docs_Token', description: 'docs', keywords: ['token', 'readme'], requires: [['readme'], ['token']] } })
    else if (i === 70) await room.replica.author(room.owner, 'rule.removed', { name: 'Docs_Token' })
    else if (i === 98) {
      await room.replica.author(c, 'member.left', {})
      gone.add(c)
    }
    else if (who !== c) await room.replica.author(who, 'session.message', { session, text: i % 2 ? 'I have a concern' : 'Sounds good' })
  }
  const sorted = [...room.replica.log.all()].sort(foldOrder)
  const s = room.replica.state
  // The history did what it is meant to exercise.
  expect(s.sessions.get(session)!.messages.length).toBeGreaterThan(30)
  expect(s.sessions.get(session)!.plans.length).toBeGreaterThan(3)
  expect([...s.tasks.values()].filter((t) => t.status === 'completed').length).toBeGreaterThan(10)
  expect([...s.tasks.values()].some((t) => t.status === 'released')).toBe(true)
  expect(s.members.get(c.peerId)?.left).toBe(true)
  expect(s.rules.size).toBe(0)
  return { room, sorted, session }
}

describe('Fold checkpoints (bounded, copy-on-write)', () => {
  // A checkpoint every 8 events, the last 3 kept: the last ~24 events rewind cheaply.
  const small = { every: 8, spread: 1e9, keep: 3 }

  it('folds in-order arrival to the replica state, with checkpoints as small as one event', async () => {
    const { room, sorted } = await richHistory()
    for (const opts of [small, { every: 1, spread: 1e9, keep: 1e9 }]) {
      const fold = new Fold(room.replica.log.room, opts, room.replica.authority)
      for (const e of sorted) fold.insert(e)
      expect(fold.rewindCount).toBe(0)
      expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
    }
  })

  it('a late event far behind the tail or near it folds to exactly the in-order state', async () => {
    const { room, sorted } = await richHistory()
    const reference = new Fold(room.replica.log.room, {}, room.replica.authority)
    for (const e of sorted) reference.insert(e)
    const n = sorted.length
    // The last event of a kind that is not among the final three (those would land at the tail).
    const last = (kind: string) => sorted.slice(0, n - 3).findLastIndex((e) => e.event.kind === kind)
    const cases = [
      // Far behind every kept checkpoint: the fold starts again from the empty state.
      { at: 4, far: true },
      { at: Math.floor(n / 2), far: true },
      // Near the tail: it rolls back to a kept checkpoint; each of these edits a record a checkpoint shares.
      { at: last('session.message'), far: false },
      { at: last('task.completed'), far: false },
      { at: last('member.left'), far: false },
    ]
    expect(cases.slice(2).every((c) => c.at >= n - 20)).toBe(true)
    // With every checkpoint kept, even the far ones roll back (undoing the rule removal, the member leaving, …).
    const all = { ...small, keep: 1e9 }
    for (const opts of [small, all]) {
      for (const { at, far } of cases) {
        const fold = new Fold(room.replica.log.room, opts, room.replica.authority)
        for (const e of sorted) if (e !== sorted[at]) fold.insert(e)
        expect(stateDigest(fold.state)).not.toBe(stateDigest(reference.state))
        fold.insert(sorted[at])
        expect(fold.rewindCount).toBe(1)
        if (far && opts === small) expect(fold.replayedCount).toBe(n)
        else expect(fold.replayedCount).toBeLessThan(n - at + small.every)
        expect(ordered(fold.state), `late event at ${at} of ${n}, keep ${opts.keep}`).toEqual(ordered(reference.state))
      }
    }
  })

  it('several late events in reverse order end in the in-order state', async () => {
    const { room, sorted } = await richHistory()
    const fold = new Fold(room.replica.log.room, small, room.replica.authority)
    const late = new Set([3, 20, sorted.length - 30, sorted.length - 9, sorted.length - 2])
    for (const [i, e] of sorted.entries()) if (!late.has(i)) fold.insert(e)
    for (const i of [...late].reverse()) {
      fold.insert(sorted[i])
      // Read after each: every late event pays its own replay.
      expect(ordered(fold.state)).toEqual(ordered(foldOf(room, sorted.filter((e, j) => !late.has(j) || j >= i))))
    }
    expect(fold.rewindCount).toBe(late.size)
    expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
  })

  it('a burst of late events with no read in between costs one replay, from the earliest, and ends in the in-order state', async () => {
    const { room, sorted } = await richHistory()
    const late = new Set([5, 20, sorted.length - 30, sorted.length - 9, sorted.length - 2])
    for (const order of [[...late], [...late].reverse()]) {
      const fold = new Fold(room.replica.log.room, small, room.replica.authority)
      for (const [i, e] of sorted.entries()) if (!late.has(i)) fold.insert(e)
      const replayedBefore = fold.replayedCount
      for (const i of order) fold.insert(sorted[i])
      // Tail events arriving meanwhile join the owed replay too.
      expect(fold.replayOwed).toBe(true)
      expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
      expect(fold.replayOwed).toBe(false)
      expect(fold.rewindCount).toBe(1)
      // From the empty state (index 5 is behind every kept checkpoint): the room once, not once per late event.
      expect(fold.replayedCount - replayedBefore).toBe(sorted.length)
    }
  })
})

describe('Fold checkpoints dense at the tail, thinned with age', () => {
  it('a late event d events before the tail replays about d + d / spread events, not back to a checkpoint spaced for the room', async () => {
    const { room } = await history(300)
    const sorted = [...room.replica.log.all()].sort(foldOrder)
    const n = sorted.length
    for (const d of [1, 3, 8, 20, 40]) {
      const at = n - 1 - d
      const fold = new Fold(room.replica.log.room, {}, room.replica.authority)
      for (const e of sorted) if (e !== sorted[at]) fold.insert(e)
      const before = fold.replayedCount
      fold.insert(sorted[at])
      const replayed = fold.replayedCount - before
      // The defaults: a checkpoint every 16 events at the tail, spans thinned to half their distance from it.
      expect(replayed, `late by ${d} of ${n}`).toBeLessThanOrEqual(d + 1 + Math.max(16, Math.ceil((d + 1) / 2)))
      expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
    }
  })

  it('keeps few checkpoints however long the room (they grow with its logarithm)', async () => {
    const { room, sorted } = await richHistory()
    const fold = new Fold(room.replica.log.room, { every: 1, spread: 2, keep: 1e9 }, room.replica.authority)
    const counts: number[] = []
    for (const e of sorted) {
      fold.insert(e)
      counts.push(fold.checkpointCount)
    }
    // Logarithmic in the room with a checkpoint every event at the tail: far fewer than one per event.
    expect(Math.max(...counts)).toBeLessThanOrEqual(3 * Math.log2(sorted.length))
    expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
  })

  it('late events anywhere, read at any moment, fold to exactly the in-order state while checkpoints merge (fast-check)', async () => {
    const { room, sorted } = await richHistory()
    const reference = ordered(room.replica.state)
    const n = sorted.length
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.record({ every: fc.integer({ min: 1, max: 6 }), spread: fc.integer({ min: 1, max: 3 }), keep: fc.constantFrom(1e9, 4, 9) }),
        fc.integer({ min: 0, max: n }),
        async (late, reads, opts, readEvery) => {
          const fold = new Fold(room.replica.log.room, opts, room.replica.authority)
          const held = new Set(late)
          for (const [i, e] of sorted.entries()) {
            if (held.has(i)) continue
            fold.insert(e)
            // Reads between arrivals run the owed replays, so later merges thin checkpoints a replay re-made.
            if (readEvery > 0 && i % readEvery === 0) void fold.state
          }
          for (const [k, i] of late.entries()) {
            fold.insert(sorted[i])
            if (reads[k]) void fold.state
          }
          expect(ordered(fold.state)).toEqual(reference)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('Fold payloads of events folded by an owed replay', () => {
  it('reads each payload while the log still holds it decoded, not again when the replay runs', async () => {
    const { room, sorted } = await richHistory()
    const n = sorted.length
    let settled = false
    let readsAfter = 0
    // The log keeps a bulky kind's payload decoded only until every listener has seen the event;
    // a read after that decodes and parses it again.
    const watched = (e: StoredEvent): StoredEvent => {
      const event = { ...e.event }
      Object.defineProperty(event, 'payload', { enumerable: true, get: () => ((readsAfter += settled ? 1 : 0), e.event.payload) })
      return { id: e.id, bytes: e.bytes, roleAfter: e.roleAfter, event } as StoredEvent
    }
    const at = n - 12
    const held = new Set([at, n - 3, n - 2, n - 1])
    const fold = new Fold(room.replica.log.room, { every: 4, spread: 2 }, room.replica.authority)
    for (const [i, e] of sorted.entries()) if (!held.has(i)) fold.insert(watched(e))
    void fold.state
    // The late event owes a replay; the tail events after it wait for the same replay.
    for (const i of [at, n - 3, n - 2, n - 1]) {
      settled = false
      fold.insert(watched(sorted[i]))
      settled = true
    }
    expect(fold.replayOwed).toBe(true)
    expect(ordered(fold.state)).toEqual(ordered(room.replica.state))
    expect(readsAfter).toBe(0)
  })
})
