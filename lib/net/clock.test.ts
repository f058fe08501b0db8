import { describe, expect, it } from 'vitest'
import { stallAware } from './clock'

describe('stall-aware clock', () => {
  it('advances like its base between frequent reads, at most a step across a stall, never backwards', () => {
    let t = 1000
    const c = stallAware(500, () => t)
    const a = c()
    t += 200
    expect(c() - a).toBe(200)
    t += 60_000 // the event loop was blocked for a minute
    expect(c() - a).toBe(700)
    t -= 5_000 // a base that went backwards (it must not, but the clock holds)
    expect(c() - a).toBe(700)
    t += 100
    expect(c() - a).toBe(800)
  })
})

describe('presence on a stall-aware clock', () => {
  it('a process whose loop was blocked for a minute does not find every peer dead when it wakes', async () => {
    const { PresenceTracker } = await import('../core/presence/tracker')
    let t = 0
    const clock = stallAware(4000, () => t)
    const tracker = new PresenceTracker({ intervalMs: 2000 })
    tracker.beat('peer-a', { name: 'a', kind: 'agent', role: 'agent' }, clock())
    t += 60_000
    tracker.tick(clock())
    // Two intervals counted, not thirty: not even suspect yet; its beats are waiting to be read.
    expect(tracker.status('peer-a')).toBe('alive')
    // If it stays silent while this process runs, it goes suspect and then dead as usual.
    for (let i = 0; i < 8; i++) (t += 2000), tracker.tick(clock())
    expect(tracker.status('peer-a')).toBe('dead')
  })
})
