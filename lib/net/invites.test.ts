import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inviteBodySchema } from '../core/events/kinds/invite'
import { nonceText } from './invites'

describe('an invite nonce', () => {
  it('never begins with "-" (an option on the command line) and stays a valid, full-length nonce', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), (bytes) => {
        const text = nonceText(bytes)
        expect(text.startsWith('-')).toBe(false)
        expect(text).toHaveLength(16)
        expect(inviteBodySchema.shape.nonce.safeParse(text).success).toBe(true)
      }),
      // Bytes whose base64url begins with '-' (first six bits 62) are 1 in 64 of random ones.
      { numRuns: 500, examples: [[Uint8Array.of(0xf8, ...new Uint8Array(11))]] },
    )
  })
})
