/**
 * Artifact detection on a labelled set of task pairs across repositories (kept in
 * fixtures/artifact-pairs.json): precision, recall and direction accuracy are printed, and the
 * pairs that only share a word with an artifact name must produce no artifact link.
 */
import { describe, expect, it } from 'vitest'
import { detectPair } from './index'
import labelled from './fixtures/artifact-pairs.json'
import type { Task } from './types'

interface Pair {
  a: Task
  b: Task
  link: boolean
  relationship?: string
  first?: string
  note: string
}

const pairs = labelled.pairs as unknown as Pair[]
const fromArtifacts = (a: Task, b: Task) => detectPair(a, b).filter((d) => d.reason.startsWith('artifacts — '))

describe('artifact detection on the labelled pairs', () => {
  it('has at least 30 pairs across repositories, both classes', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(30)
    expect(pairs.filter((p) => p.link).length).toBeGreaterThanOrEqual(10)
    expect(pairs.filter((p) => !p.link).length).toBeGreaterThanOrEqual(10)
  })

  it('prints precision, recall and direction accuracy; all three are perfect on this set', () => {
    let tp = 0
    let fp = 0
    let fn = 0
    let directed = 0
    let directedRight = 0
    const wrong: string[] = []
    for (const p of pairs) {
      const found = fromArtifacts(p.a, p.b)
      const hit = found.find((d) => !p.relationship || d.relationship === p.relationship)
      if (p.link && hit) tp++
      else if (p.link) (fn++, wrong.push(`missed ${p.a.taskId}–${p.b.taskId} (${p.note})`))
      else if (found.length) (fp++, wrong.push(`false link ${p.a.taskId}–${p.b.taskId}: ${found[0].reason} (${p.note})`))
      if (p.link && p.first && hit) {
        directed++
        if (hit.reason.endsWith(`(${p.first} goes first)`)) directedRight++
        else wrong.push(`wrong direction ${p.a.taskId}–${p.b.taskId}: ${hit.reason}`)
      }
    }
    const precision = tp / Math.max(1, tp + fp)
    const recall = tp / Math.max(1, tp + fn)
    console.log(
      `artifact detection on ${pairs.length} labelled pairs: precision ${precision.toFixed(3)} (${tp}/${tp + fp}), recall ${recall.toFixed(3)} (${tp}/${tp + fn}), producer-first ${directedRight}/${directed}`,
    )
    expect(wrong).toEqual([])
    expect(precision).toBe(1)
    expect(recall).toBe(1)
  })

  it('no artifact link between tasks that merely share a word with an artifact name', () => {
    const wordOnly = pairs.filter((p) => !p.link && (!p.a.artifacts?.length || !p.b.artifacts?.length))
    expect(wordOnly.length).toBeGreaterThanOrEqual(3)
    for (const p of wordOnly) expect(fromArtifacts(p.a, p.b), p.note).toEqual([])
  })

  it('a producer/consumer artifact link is high confidence (≥ 0.9)', () => {
    const directed = pairs.flatMap((p) => fromArtifacts(p.a, p.b)).filter((d) => !d.reason.includes('defined by both'))
    expect(directed.length).toBeGreaterThan(0)
    for (const d of directed) expect(d.confidence).toBeGreaterThanOrEqual(0.9)
  })
})
