import { describe, expect, it } from 'vitest'
import { createGenesis } from '../log/author'
import { testSigner, testVerifier } from '../testing/ed25519'
import { forge } from '../testing/forge'
import { inviteBody, T0 } from '../testing/room'
import { signInvite } from '../events/verify'
import { history, ordered, richHistory } from '../testing/fold-histories'
import { task } from '../testing/tasks'
import type { StoredEvent } from '../log/stored'
import { stateDigest } from './digest'
import { CHECKPOINT_EVERY, Fold } from './fold'
import { Replica } from './replica'

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

/** The state folded in order from `events`, with the room's authority. */
function foldOf(room: Awaited<ReturnType<typeof richHistory>>['room'], events: readonly StoredEvent[]) {
  const f = new Fold(room.replica.log.room, {}, room.replica.authority)
  for (const e of events) f.insert(e)
  return f.state
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
