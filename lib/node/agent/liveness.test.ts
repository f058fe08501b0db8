import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { PresenceTracker, type PresenceInfo } from '../../core/presence/tracker'
import { dutyStanding } from './liveness'

const INFO: PresenceInfo = { name: 'x', kind: 'agent', role: 'agent' }
const BEAT = 1000

/** A tracker on a hand-driven clock, and the duty standing read from it after the warm-up. */
function room() {
  let t = 0
  const tracker = new PresenceTracker({ intervalMs: BEAT })
  const lookup = { status: (p: string) => tracker.status(p), statusVsRoom: (p: string) => tracker.statusVsRoom(p), statusAllowingLate: (p: string) => tracker.statusAllowingLate(p) }
  const standing = dutyStanding(lookup, 0, () => t)
  return {
    tracker,
    standing,
    at: (ms: number) => ((t = ms), tracker.tick(ms)),
    beat: (p: string, ms: number) => tracker.beat(p, INFO, ms),
  }
}

describe('duty standing (ADR 0073)', () => {
  it('a candidate that stops while the others beat goes quiet, then gone', () => {
    const r = room()
    for (let ms = 0; ms <= 20_000; ms += BEAT) {
      r.beat('other', ms)
      if (ms <= 2000) r.beat('stopped', ms)
      r.at(ms)
    }
    expect(r.standing('other')).toBe('heard')
    // Last beat at 2 s: at 5 s three beats were missed, at 10 s eight.
    r.at(20_000)
    expect(r.standing('stopped')).toBe('gone')
    const q = room()
    for (let ms = 0; ms <= 6000; ms += BEAT) (q.beat('other', ms), ms <= 2000 && q.beat('stopped', ms), q.at(ms))
    expect(q.standing('stopped')).toBe('quiet')
  })

  it('when every beat is late together (this process or the relay stalled), everyone keeps its standing', () => {
    const r = room()
    for (let ms = 0; ms <= 5000; ms += BEAT) (r.beat('a', ms), r.beat('b', ms), r.at(ms))
    // Nothing arrives for 6 s: by the clock both are suspect, but neither is behind the other.
    r.at(11_000)
    expect(r.tracker.status('a')).toBe('suspect')
    expect(r.standing('a')).toBe('heard')
    expect(r.standing('b')).toBe('heard')
    // The backlog arrives: b's beats come, a's do not; a is now behind the room.
    for (let ms = 11_000; ms <= 12_000; ms += BEAT) (r.beat('b', ms), r.at(ms))
    expect(r.standing('a')).toBe('quiet')
    expect(r.standing('b')).toBe('heard')
  })

  it('a candidate whose beats have run late keeps its standing as long as they have been late; a prompt one that stops goes quiet after three', () => {
    const r = room()
    // "slow" beats every 5 s (its process starved), "prompt" every second; both stop at 20 s.
    for (let ms = 0; ms <= 20_000; ms += BEAT) {
      r.beat('other', ms)
      if (ms % 5000 === 0) r.beat('slow', ms)
      r.beat('prompt', ms)
      r.at(ms)
    }
    const at = (ms: number) => {
      for (let t = 21_000; t <= ms; t += BEAT) r.beat('other', t)
      r.at(ms)
    }
    at(24_000)
    // Four beats missed: by the room both are suspect, but only the prompt one is quiet to duties.
    expect(r.tracker.statusVsRoom('slow')).toBe('suspect')
    expect(r.standing('slow')).toBe('heard')
    expect(r.standing('prompt')).toBe('quiet')
    // Silent longer than its beats ever ran late (5 s) by an interval: quiet too; gone at eight.
    at(26_000)
    expect(r.standing('slow')).toBe('quiet')
    at(28_000)
    expect(r.standing('slow')).toBe('gone')
  })

  it('a candidate dead by the clock is at most quiet, even when nobody else beats', () => {
    const r = room()
    for (let ms = 0; ms <= 3000; ms += BEAT) (r.beat('last', ms), r.at(ms))
    r.at(60_000)
    expect(r.tracker.status('last')).toBe('dead')
    expect(r.standing('last')).toBe('quiet')
  })

  it('keeps the standing of peers that are as recent as the room, drops those far behind it, never trusts the dead (property)', () => {
    const order = { gone: 0, quiet: 1, heard: 2 } as const
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 30_000 })), { maxLength: 40 }), fc.integer({ min: 0, max: 60_000 }), (beats, end) => {
        const r = room()
        const sorted = [...beats].sort((x, y) => x[1] - y[1])
        for (const [p, ms] of sorted) (r.beat(p, ms), r.at(ms))
        const now = Math.max(end, sorted.at(-1)?.[1] ?? 0)
        r.at(now)
        const latest = Math.max(...sorted.map(([, ms]) => ms))
        const byClock = { alive: 'heard', suspect: 'quiet', dead: 'gone', left: 'gone' } as const
        for (const p of ['a', 'b', 'c']) {
          const last = Math.max(-Infinity, ...sorted.filter(([q]) => q === p).map(([, ms]) => ms))
          const s = r.standing(p)
          if (last === -Infinity) {
            expect(s).toBe('gone')
            continue
          }
          // Never worse than the clock alone says.
          expect(order[s]).toBeGreaterThanOrEqual(order[byClock[r.tracker.status(p)!]])
          // Within three beats of the freshest beat: as good as the clock allows.
          if (latest - last < 3 * BEAT) expect(s).toBe(now - last >= 8 * BEAT ? 'quiet' : 'heard')
          // Eight beats behind peers that kept beating: gone.
          if (latest - last >= 8 * BEAT) expect(s).toBe('gone')
          // Dead by the clock: never heard.
          if (now - last >= 8 * BEAT) expect(s).not.toBe('heard')
        }
      }),
    )
  })

  it('an unheard member counts as heard for as long as the warm-up reads at each call, so it can grow with the room', () => {
    let t = 0
    let warmUp = 3000
    const standing = dutyStanding({ status: () => undefined }, () => warmUp, () => t)
    t = 2999
    expect(standing('never-heard')).toBe('heard')
    t = 5000
    expect(standing('never-heard')).toBe('gone')
    // The room turned out large: its members beat every 15 s, so three of those.
    warmUp = 45_000
    expect(standing('never-heard')).toBe('heard')
    t = 45_000
    expect(standing('never-heard')).toBe('gone')
  })
})
