import { describe, expect, it } from 'vitest'
import { cardsFor, contains, grow, nextMounted, viewRect } from './culling'

const card = { width: 100, height: 40 }
// A 10 × 10 grid of cards, 200 apart.
const at = new Map(Array.from({ length: 100 }, (_, i) => [`t${i}`, { x: (i % 10) * 200, y: Math.floor(i / 10) * 200 }]))

describe('graph culling', () => {
  it('maps a viewport to flow coordinates and keeps a margin around it', () => {
    const view = viewRect({ x: -400, y: -200, zoom: 2 }, { width: 800, height: 600 })
    expect(view).toEqual({ x: 200, y: 100, width: 400, height: 300 })
    const area = grow(view, 0.25)
    expect(area).toEqual({ x: 100, y: 25, width: 600, height: 450 })
    expect(contains(area, viewRect({ x: -500, y: -250, zoom: 2 }, { width: 800, height: 600 }))).toBe(true)
    expect(contains(area, viewRect({ x: -1200, y: -250, zoom: 2 }, { width: 800, height: 600 }))).toBe(false)
  })

  it('mounts the cards in view, then the far ends of their dependencies, and nothing else', () => {
    const edges = [{ source: 't0', target: 't99' }, { source: 't55', target: 't56' }]
    expect(cardsFor({ x: 0, y: 0, width: 250, height: 50 }, at, card, edges)).toEqual(['t0', 't1', 't99'])
  })

  it('adds a chunk of cards per step, drops cards that left at once, and settles', () => {
    const target = [...at.keys()].slice(0, 90)
    let m: ReadonlySet<string> = new Set(['t95'])
    const sizes: number[] = []
    for (let i = 0; i < 5; i++) {
      m = nextMounted(m, target, 40)
      sizes.push(m.size)
    }
    expect(sizes).toEqual([40, 80, 90, 90, 90])
    expect(m.has('t95')).toBe(false)
    expect(nextMounted(m, target, 40)).toBe(m)
  })
})
