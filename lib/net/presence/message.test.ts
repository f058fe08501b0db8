import { describe, expect, it } from 'vitest'
import { decodeHeartbeat, encodeHeartbeat } from './message'

describe('heartbeat encoding', () => {
  it('round-trips what a peer says about itself', () => {
    const bytes = encodeHeartbeat('beat', { name: 'relay', kind: 'relay', role: 'relay', root: 'abc' }, 12.7)
    expect(decodeHeartbeat(bytes)).toEqual({ v: 1, type: 'beat', name: 'relay', kind: 'relay', role: 'relay', root: 'abc', time: 12 })
  })

  it('drops malformed, oversized and unknown-version input without throwing', () => {
    const enc = new TextEncoder()
    expect(decodeHeartbeat(enc.encode('not json'))).toBeUndefined()
    expect(decodeHeartbeat(enc.encode(JSON.stringify({ v: 2, type: 'beat', name: 'x', kind: 'human', role: 'r', time: 1 })))).toBeUndefined()
    expect(decodeHeartbeat(enc.encode(JSON.stringify({ v: 1, type: 'beat', name: 'x', kind: 'robot', role: 'r', time: 1 })))).toBeUndefined()
    expect(decodeHeartbeat(new Uint8Array(5000))).toBeUndefined()
  })
})
