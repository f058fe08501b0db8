import { describe, expect, it, vi } from 'vitest'

// Each part records when it is evaluated; the markers below record the turns in between.
const log: string[] = vi.hoisted(() => [])
vi.mock('@/lib/net/services', () => (log.push('services'), {}))
vi.mock('@/lib/net/browser-node', () => (log.push('browser-node'), {}))
vi.mock('@/lib/net/room-peer', () => (log.push('room-peer'), {}))
vi.mock('@/lib/net/tab-mesh', () => (log.push('tab-mesh'), { startTabMesh: () => 'started' }))

describe('loadTabMesh', () => {
  it('evaluates the mesh a part per macrotask, tab-mesh last', async () => {
    const { loadTabMesh } = await import('./load-mesh')
    // A marker per macrotask while the load runs: two parts in one task have no marker between them.
    let turns = true
    const mark = () => {
      if (!turns) return
      log.push('|')
      setImmediate(mark)
    }
    setImmediate(mark)
    const mesh = await loadTabMesh()
    turns = false
    const parts = log.filter((x) => x !== '|')
    expect(parts).toEqual(['services', 'browser-node', 'room-peer', 'tab-mesh'])
    for (let i = 1; i < parts.length; i++) {
      const between = log.slice(log.indexOf(parts[i - 1]) + 1, log.indexOf(parts[i]))
      expect(between, `a turn between ${parts[i - 1]} and ${parts[i]}`).toContain('|')
    }
    expect((mesh.startTabMesh as unknown as () => string)()).toBe('started')
  })
})
