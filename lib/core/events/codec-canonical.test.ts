import * as dagCbor from '@ipld/dag-cbor'
import { hexToBytes } from '@noble/hashes/utils.js'
import { encode as cborEncode } from 'cborg'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { slotsOf } from '../log/layout'
import { cidOf, decodeEvent, encodeCanonical, signingBytes } from './codec'
import { MAX_DEPS } from './constants'
import type { SignedEvent } from './envelope'
import { applyCborEdits, canonicalByDagCbor as canonical, cborEdits } from '../testing/cbor-edits'
import v1 from './fixtures/v1.json'

const fixtures = v1.map((f) => hexToBytes(f.hex))
const decoded = fixtures.map((b) => dagCbor.decode(b) as SignedEvent)
const ids = fixtures.map((b) => cidOf(b)).sort()

const withoutSig = (bytes: Uint8Array): Uint8Array => {
  const { sig: _sig, ...rest } = dagCbor.decode(bytes) as Record<string, unknown>
  // A plain Uint8Array: the encoder hands out Node Buffers for some sizes, and toEqual compares types.
  return Uint8Array.from(dagCbor.encode(rest))
}

describe('decodeEvent: canonical check through the layout', () => {
  it('accepts only canonical bytes and signs exactly the envelope without sig, whatever is changed in a fixture', () => {
    const mutation = fc.record({
      fixture: fc.nat(fixtures.length - 1),
      edits: cborEdits(1),
    })
    fc.assert(
      fc.property(mutation, ({ fixture, edits }) => {
        const input = applyCborEdits(fixtures[fixture], edits)
        const d = decodeEvent(input)
        if (d.ok) {
          expect(canonical(input)).toBe(true)
          expect(d.signing).toEqual(withoutSig(input))
        } else if (d.detail === 'not canonical dag-cbor') {
          expect(canonical(input)).toBe(false)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('refuses a payload whose map keys are written out of order (same length, same value)', () => {
    let tried = 0
    for (const [i, bytes] of fixtures.entries()) {
      const slots = slotsOf(decoded[i], bytes)
      if (!slots) continue
      // Keys in reverse canonical order: every map of two or more keys changes, the length does not.
      const reversed = cborEncode(decoded[i].payload, { mapSorter: (a: unknown[], b: unknown[]) => -String((a[0] as { value: unknown }).value).localeCompare(String((b[0] as { value: unknown }).value)) })
      const input = new Uint8Array(slots.payloadAt + reversed.length)
      input.set(bytes.subarray(0, slots.payloadAt))
      input.set(reversed, slots.payloadAt)
      if (input.length !== bytes.length || input.every((b, j) => b === bytes[j])) continue
      tried++
      expect(decodeEvent(input), v1[i].kind).toMatchObject({ ok: false, detail: 'not canonical dag-cbor' })
    }
    expect(tried).toBeGreaterThan(20)
  })

  it('accepts every canonical envelope with header values of any width, and signs the same bytes as signingBytes', () => {
    const int = fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 70_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }))
    const envelope = fc.record({
      fixture: fc.nat(decoded.length - 1),
      seq: int,
      lamport: int,
      time: fc.oneof(fc.constant(0), int),
      deps: fc.uniqueArray(fc.constantFrom(...ids), { maxLength: MAX_DEPS }),
      prev: fc.constantFrom(...ids),
      sig: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    })
    fc.assert(
      fc.property(envelope, ({ fixture, seq, lamport, time, deps, prev, sig }) => {
        const base = decoded[fixture]
        const event = { ...base, seq, lamport, time, deps: [...deps].sort(), prev: seq === 1 ? null : prev, sig }
        const bytes = encodeCanonical(event)
        const d = decodeEvent(bytes)
        // Only the fixture's own payload may make it invalid (e.g. a genesis whose room is not empty): never the encoding.
        if (!d.ok) expect(d.detail).not.toBe('not canonical dag-cbor')
        else expect(d.signing).toEqual(Uint8Array.from(signingBytes(event)))
      }),
      { numRuns: 1000 },
    )
  })
})
