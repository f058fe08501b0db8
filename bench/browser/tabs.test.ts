import { describe, expect, it } from 'vitest'
import { runTabs, type TabsRun } from './tabs'

const EVENTS = 300
/** Longer than the stream: on a loaded machine the writer may lag, and then the others would write too (correctly, but this counts writes). */
const FOLLOW_MS = 10_000

/** The database after the tabs closed holds every event of the stream once, byte for byte, and replays to the reference state. */
function expectWhole(r: TabsRun): void {
  expect(r.check).toMatchObject({ stored: EVENTS, distinct: EVENTS, expected: EVENTS, missing: 0, extra: 0, bytesDiffer: 0, gapFree: true, replayAccepted: EVENTS, sameRoot: true })
}

// Real Chromium, one profile on disk, three pages of one origin sharing its IndexedDB, each a
// tab's ReplicaHost receiving the same events at the same times (tabs-page.ts).
describe('three tabs of one browser profile on one room (Chromium)', () => {
  it('store each received event once, written by one tab, with no write aborted', async () => {
    const r = await runTabs({ tabs: 3, events: EVENTS, burst: 3, intervalMs: 10, followMs: FOLLOW_MS })
    for (const t of r.tabs) {
      expect(t.run).toMatchObject({ acked: EVENTS - 1, failed: 0, refused: 0 })
      expect(t.counts?.aborted).toBe(0)
    }
    // Every event went to IndexedDB once: no tab sent a slab another tab had already written.
    expect(r.tabs.reduce((n, t) => n + (t.counts?.events ?? 0), 0)).toBe(EVENTS)
    expect(r.tabs.reduce((n, t) => n + (t.counts?.written ?? 0), 0)).toBe(EVENTS)
    expectWhole(r)
  }, 120_000)

  it('lose nothing acknowledged when the writing tab closes mid-stream: the next tab takes over', async () => {
    const r = await runTabs({ tabs: 3, events: EVENTS, burst: 3, intervalMs: 10, followMs: FOLLOW_MS, close: { tab: 0, afterMs: 400 } })
    expect(r.tabs[0].closed).toBe(true)
    // The closed tab had acknowledged events (it wrote them) before it went, and not all of them.
    expect(r.acked[0].length).toBeGreaterThan(1)
    expect(r.acked[0].length).toBeLessThan(EVENTS)
    for (const t of r.tabs.slice(1)) {
      expect(t.run).toMatchObject({ acked: EVENTS - 1, failed: 0, refused: 0 })
      // Until then the others relied on it and wrote nothing; after, one of them wrote the rest.
      expect(t.countsAtClose?.events).toBe(0)
    }
    expect(r.tabs.slice(1).some((t) => (t.counts?.written ?? 0) > 0)).toBe(true)
    expectWhole(r)
  }, 120_000)
})
