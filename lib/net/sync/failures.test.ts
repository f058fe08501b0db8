import { describe, expect, it } from 'vitest'
import { roundFailureLogger } from './failures'

describe('roundFailureLogger', () => {
  it('logs a failed round with its peer and reason, then once a minute per peer and reason with how many it left out', () => {
    const lines: string[] = []
    let now = 0
    const onError = roundFailureLogger((l) => lines.push(l), () => now)
    onError('peerA', new Error('stream reset'))
    onError('peerA', new Error('stream reset'))
    onError('peerA', new Error('the protocol was refused'))
    onError('peerB', new Error('stream reset'))
    now = 30_000
    onError('peerA', new Error('stream reset'))
    now = 61_000
    onError('peerA', new Error('stream reset'))
    expect(lines).toEqual([
      'sync round with peerA failed: stream reset',
      'sync round with peerA failed: the protocol was refused',
      'sync round with peerB failed: stream reset',
      'sync round with peerA failed: stream reset (2 more like it since the last line)',
    ])
  })
})
