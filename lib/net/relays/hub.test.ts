import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PruneHolds } from './hub'

describe('PruneHolds: a hub leaves a peer that pruned it alone for a while', () => {
  it('holds a pruned peer on that topic only, until the hold ends or the peer grafts', () => {
    const holds = new PruneHolds(60_000)
    holds.pruned('events', 'agent', 1000)
    expect(holds.held('events', 'agent', 1000)).toBe(true)
    expect(holds.held('events', 'agent', 60_999)).toBe(true)
    expect(holds.held('events', 'agent', 61_000)).toBe(false)
    expect(holds.held('presence', 'agent', 2000)).toBe(false)
    expect(holds.held('events', 'other', 2000)).toBe(false)
    // No IHAVE for it until it grafts, even after the graft hold ends.
    expect(holds.prunedUs('events', 'agent')).toBe(true)
    expect(holds.prunedUs('presence', 'agent')).toBe(false)
    expect(holds.grafted('events', 'agent')).toBe(true)
    expect(holds.held('events', 'agent', 2000)).toBe(false)
    expect(holds.prunedUs('events', 'agent')).toBe(false)
    expect(holds.grafted('events', 'agent')).toBe(false)
  })

  it('sweeps peers that left the topic and reports live graft holds, whatever the order of prunes and grafts', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('prune' as const), peer: fc.integer({ min: 0, max: 4 }), at: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ t: fc.constant('graft' as const), peer: fc.integer({ min: 0, max: 4 }), at: fc.integer({ min: 0, max: 200 }) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 0, max: 300 }), fc.subarray([0, 1, 2, 3, 4]), (ops, now, subscribed) => {
        const holds = new PruneHolds(100)
        // The model: the last prune of a peer since its last graft sets its hold's end.
        const until = new Map<number, number>()
        for (const o of [...ops].sort((a, b) => a.at - b.at)) {
          if (o.t === 'prune') {
            holds.pruned('events', String(o.peer), o.at)
            until.set(o.peer, o.at + 100)
          } else {
            holds.grafted('events', String(o.peer))
            until.delete(o.peer)
          }
        }
        const live = holds.sweep(now, (_topic, peer) => subscribed.includes(Number(peer)))
        const expected = [...until].filter(([p, u]) => u > now && subscribed.includes(p)).map(([p]) => String(p)).sort()
        expect([...(live.get('events')?.keys() ?? [])].sort()).toEqual(expected)
        for (let p = 0; p < 5; p++) {
          expect(holds.held('events', String(p), now)).toBe(expected.includes(String(p)))
          // Gossip stays off for every subscribed peer that pruned us and never grafted since.
          expect(holds.prunedUs('events', String(p))).toBe(until.has(p) && subscribed.includes(p))
        }
      }),
    )
  })
})
