import { describe, expect, it } from 'vitest'
import { asEventId, asPeerId } from '../ids'
import { stateDigest } from './digest'
import { initialState } from './initial'

describe('stateDigest', () => {
  it('ignores Map insertion order but not content', () => {
    const a = initialState(asEventId('room'))
    const b = initialState(asEventId('room'))
    a.quarantined.set(asPeerId('p'), 1).set(asPeerId('q'), 2)
    b.quarantined.set(asPeerId('q'), 2).set(asPeerId('p'), 1)
    expect(stateDigest(a)).toBe(stateDigest(b))
    b.quarantined.set(asPeerId('q'), 3)
    expect(stateDigest(a)).not.toBe(stateDigest(b))
  })

  it('is a sha-256 hex string', () => {
    expect(stateDigest(initialState(asEventId('room')))).toMatch(/^[0-9a-f]{64}$/)
  })
})
