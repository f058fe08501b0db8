import { describe, expect, it } from 'vitest'
import { detectPartition } from './partition'

describe('detectPartition', () => {
  it('does not call one lost peer a partition', () => {
    expect(detectPartition(['alive', 'alive', 'dead']).partitioned).toBe(false)
    expect(detectPartition(['dead']).partitioned).toBe(false)
  })

  it('calls it when most known members go silent at once', () => {
    expect(detectPartition(['alive', 'suspect', 'dead'])).toEqual({ partitioned: true, known: 3, silent: 2 })
    expect(detectPartition(['suspect', 'suspect', 'alive', 'alive']).partitioned).toBe(false)
  })

  it('ignores peers that left on purpose', () => {
    expect(detectPartition(['left', 'left', 'left', 'dead', 'alive']).partitioned).toBe(false)
    expect(detectPartition(['left', 'dead', 'dead', 'alive']).partitioned).toBe(true)
  })
})
