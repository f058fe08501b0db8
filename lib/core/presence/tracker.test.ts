import { describe, expect, it } from 'vitest'
import { PresenceTracker, type PresenceInfo } from './tracker'

const info: PresenceInfo = { name: 'tab-a', kind: 'human', role: 'reviewer' }

describe('PresenceTracker', () => {
  it('goes alive → suspect → dead on missed beats and back to alive on a new beat', () => {
    const t = new PresenceTracker({ intervalMs: 1000, suspectAfter: 3, deadAfter: 6 })
    expect(t.beat('p1', info, 0)).toEqual({ peerId: 'p1', from: undefined, to: 'alive' })
    expect(t.tick(2999)).toEqual([])
    expect(t.get('p1')?.status).toBe('alive')
    expect(t.tick(3000)).toEqual([{ peerId: 'p1', from: 'alive', to: 'suspect' }])
    expect(t.tick(5999)).toEqual([])
    expect(t.tick(6000)).toEqual([{ peerId: 'p1', from: 'suspect', to: 'dead' }])
    expect(t.get('p1')?.status).toBe('dead')
    expect(t.beat('p1', info, 6500)).toEqual({ peerId: 'p1', from: 'dead', to: 'alive' })
    expect(t.tick(7000)).toEqual([])
    expect(t.get('p1')?.beats).toBe(2)
    expect(t.get('p1')?.firstSeen).toBe(0)
  })

  it('keeps a peer alive while beats keep arriving', () => {
    const t = new PresenceTracker({ intervalMs: 500 })
    for (let now = 0; now < 10_000; now += 500) {
      t.beat('p1', info, now)
      expect(t.tick(now + 499)).toEqual([])
    }
    expect(t.get('p1')?.status).toBe('alive')
  })

  it('treats a confirmed ping as a beat for a known peer only', () => {
    const t = new PresenceTracker({ intervalMs: 1000 })
    expect(t.confirm('unknown', 0)).toBeUndefined()
    t.beat('p1', info, 0)
    t.tick(3500)
    expect(t.get('p1')?.status).toBe('suspect')
    expect(t.confirm('p1', 3600)).toEqual({ peerId: 'p1', from: 'suspect', to: 'alive' })
    expect(t.tick(4000)).toEqual([])
  })

  it('marks a goodbye as left and ignores the clock for it until the next beat', () => {
    const t = new PresenceTracker({ intervalMs: 1000 })
    t.beat('p1', info, 0)
    expect(t.leave('p1')).toEqual({ peerId: 'p1', from: 'alive', to: 'left' })
    expect(t.tick(60_000)).toEqual([])
    expect(t.get('p1')?.status).toBe('left')
    expect(t.beat('p1', info, 61_000)?.to).toBe('alive')
  })

  it('updates what a peer says about itself with each beat and lists peers stably', () => {
    const t = new PresenceTracker({ intervalMs: 1000 })
    t.beat('p2', { name: 'zed', kind: 'agent', role: 'agent' }, 0)
    t.beat('p1', info, 0)
    t.beat('p1', { ...info, name: 'alice' }, 10)
    expect(t.list().map((p) => [p.peerId, p.name])).toEqual([
      ['p1', 'alice'],
      ['p2', 'zed'],
    ])
  })

  it('is capped: a new peer takes the place of the one gone longest, and is not tracked while every place is live', () => {
    const t = new PresenceTracker({ intervalMs: 1000, deadAfter: 8, maxPeers: 3 })
    t.beat('p1', info, 0)
    t.beat('p2', info, 1000)
    t.beat('p3', info, 2000)
    // All three alive: a fourth is refused, the three keep their places.
    expect(t.beat('p4', info, 3000)).toBeUndefined()
    expect(t.refused).toBe(1)
    expect(t.list().map((p) => p.peerId)).toEqual(['p1', 'p2', 'p3'])
    // p1 and p2 go silent until dead; p3 says goodbye later. The one silent longest makes room.
    t.beat('p3', info, 9500)
    t.leave('p3')
    expect(t.beat('p4', info, 10_000)?.to).toBe('alive')
    expect(t.list().map((p) => p.peerId).sort()).toEqual(['p2', 'p3', 'p4'])
    expect(t.beat('p5', info, 10_000)?.to).toBe('alive')
    expect(t.list().map((p) => p.peerId).sort()).toEqual(['p3', 'p4', 'p5'])
    expect(t.size).toBe(3)
    // Known peers always beat, whatever the cap.
    expect(t.beat('p3', info, 10_500)?.to).toBe('alive')
    expect(t.forget('p4')).toBe(true)
    expect(t.size).toBe(2)
  })

  it('judges each peer by the interval its last beat named, within the cap', () => {
    const t = new PresenceTracker({ intervalMs: 5000, maxIntervalMs: 30_000 })
    t.beat('paced', info, 0, 15_000)
    t.beat('room', info, 0)
    t.beat('boastful', info, 0, 3_600_000)
    // Twenty seconds on, the peer that beats every 15 s has missed one beat; the one at the room's interval four.
    expect(t.tick(20_000)).toEqual([{ peerId: 'room', from: 'alive', to: 'suspect' }])
    expect(t.missed('paced', 20_000)).toBe(1)
    expect(t.intervalOf('paced')).toBe(15_000)
    expect(t.intervalOf('boastful')).toBe(30_000)
    t.beat('room', info, 20_000)
    t.beat('room', info, 40_000)
    expect(t.tick(44_999)).toEqual([])
    expect(t.tick(45_000)).toEqual([{ peerId: 'paced', from: 'alive', to: 'suspect' }])
    // An interval named beyond the cap is read as the cap: suspect after three of 30 s, not of an hour.
    expect(t.tick(90_000)).toEqual([
      { peerId: 'room', from: 'alive', to: 'dead' },
      { peerId: 'boastful', from: 'alive', to: 'suspect' },
    ])
    // Against the room: dead once silent for eight of its own intervals while another peer beats.
    t.beat('room', info, 100_000)
    expect(t.statusVsRoom('paced')).toBe('suspect')
    expect(t.statusAllowingLate('paced')).toBe('suspect')
    t.beat('room', info, 120_000)
    expect(t.statusVsRoom('paced')).toBe('dead')
    // A beat naming no interval returns the peer to the room's.
    t.beat('paced', info, 121_000)
    expect(t.intervalOf('paced')).toBe(5000)
    expect(t.heard).toBe(3)
  })

  it('rejects nonsensical thresholds', () => {
    expect(() => new PresenceTracker({ intervalMs: 0 })).toThrow(RangeError)
    expect(() => new PresenceTracker({ intervalMs: 1000, suspectAfter: 5, deadAfter: 5 })).toThrow(RangeError)
    expect(() => new PresenceTracker({ intervalMs: 1000, maxPeers: 0 })).toThrow(RangeError)
  })
})
