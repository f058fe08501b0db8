import * as dagCbor from '@ipld/dag-cbor'
import { hexToBytes } from '@noble/hashes/utils.js'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodeCanonicalSubset } from './canonical-decode'
import { decodeEvent, decodeEventReencoded, encodeCanonical } from './codec'
import type { SignedEvent } from './envelope'
import { applyCborEdits as mutate, canonicalByDagCbor as canonical, cborEdits } from '../testing/cbor-edits'
import v1 from './fixtures/v1.json'

const fixtures = v1.map((f) => hexToBytes(f.hex))
const decoded = fixtures.map((b) => dagCbor.decode(b) as SignedEvent)

/**
 * Equal values, own keys in the same order, same prototypes, byte arrays equal and of the same
 * class (vitest's equality reads a `constructor` key as the type, which payload maps may hold).
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return !(a === 0 && 1 / a !== 1 / (b as number))
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b)
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (a instanceof Uint8Array) return a.length === (b as Uint8Array).length && a.every((x, i) => x === (b as Uint8Array)[i])
  const ka = Reflect.ownKeys(a)
  const kb = Reflect.ownKeys(b)
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]))
}

const edits = cborEdits()

/** dag-cbor values of every kind the data model has, including those outside the decoder's subset. */
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.integer({ min: 0, max: 300 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.bigInt({ min: -(2n ** 64n) + 1n, max: 2n ** 64n - 1n }),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.constantFrom('__proto__', 'constructor', '0', '10', 'a', 'b', 'aa'),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'constructor', 'toString', '1', '02')), tie('value'), { maxKeys: 5 }),
  ),
}))

function encodable(v: unknown): Uint8Array | undefined {
  try {
    return dagCbor.encode(v)
  } catch {
    return undefined
  }
}

describe('decodeCanonicalSubset (the validating decoder)', () => {
  it('accepts only canonical dag-cbor, and decodes it to what dag-cbor decodes it to', () => {
    let accepted = 0
    fc.assert(
      fc.property(value, edits, (v, list) => {
        const encoded = encodable(v)
        if (encoded === undefined) return
        const input = mutate(encoded, list)
        const fast = decodeCanonicalSubset(input)
        if (fast === undefined) return
        accepted++
        expect(canonical(input)).toBe(true)
        expect(same(fast.value, dagCbor.decode(input))).toBe(true)
      }),
      { numRuns: 5000 },
    )
    // The search must reach the accepting side often, or it proves little.
    expect(accepted).toBeGreaterThan(1000)
  })

  it('accepts the canonical encoding of every value in its subset', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 80 })
    const { inSubset } = fc.letrec((tie) => ({
      inSubset: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.maxSafeInteger(),
        fc.integer({ min: -300, max: 300 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
        ascii,
        fc.uint8Array({ maxLength: 70 }),
        fc.array(tie('inSubset'), { maxLength: 5 }),
        fc.dictionary(ascii.filter((k) => k !== '__proto__'), tie('inSubset'), { maxKeys: 6 }),
      ),
    }))
    fc.assert(
      fc.property(inSubset, (v) => {
        const bytes = dagCbor.encode(v)
        const fast = decodeCanonicalSubset(bytes)
        expect(fast).toBeDefined()
        expect(same(fast?.value, dagCbor.decode(bytes))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('leaves non-ASCII text, tags, integral or non-finite floats, long heads and __proto__ keys to dag-cbor', () => {
    const cases: Uint8Array[] = [
      dagCbor.encode({ title: 'café' }),
      dagCbor.encode({ link: CID.parse(v1[0].id) }),
      Uint8Array.of(0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0), // 1.0 as a float: dag-cbor writes 1
      Uint8Array.of(0xfb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0), // Infinity
      Uint8Array.of(0x18, 0x05), // 5 with a one-byte argument
      Uint8Array.of(0x1b, 0, 0x20, 0, 0, 0, 0, 0, 0), // 2^53, beyond the safe range
      Uint8Array.of(0xa1, 0x69, ...new TextEncoder().encode('__proto__'), 0x01),
      Uint8Array.of(0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02), // keys out of order
      Uint8Array.of(0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02), // a repeated key
      Uint8Array.of(0x9f, 0xff), // indefinite-length array
      Uint8Array.of(0x01, 0x02), // bytes after the value
    ]
    for (const bytes of cases) expect(decodeCanonicalSubset(bytes)).toBeUndefined()
  })
})

describe('decodeEvent against decodeEventReencoded (the reference)', () => {
  const agree = (input: Uint8Array): void => {
    const fast = decodeEvent(input)
    const reference = decodeEventReencoded(input)
    if (!same(fast, reference)) expect(fast).toStrictEqual(reference)
    expect(same(fast, reference)).toBe(true)
  }

  it('gives the same verdict, error, event, id and signing bytes for every fixture changed by random edits', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), edits, (i, list) => agree(mutate(fixtures[i], list))),
      { numRuns: 4000 },
    )
  })

  it('gives the same for envelopes whose fields are replaced by random values (canonical, then edited)', () => {
    const fields = ['v', 'room', 'kind', 'author', 'seq', 'prev', 'deps', 'lamport', 'time', 'payload', 'sig', 'extra']
    fc.assert(
      fc.property(fc.nat(decoded.length - 1), fc.constantFrom(...fields), value, fc.boolean(), edits, (i, field, v, drop, list) => {
        const env: Record<string, unknown> = { ...decoded[i] }
        if (drop) delete env[field]
        else env[field] = v
        const encoded = encodable(env)
        if (encoded !== undefined) agree(mutate(encoded, list))
      }),
      { numRuns: 3000 },
    )
  })

  it('accepts every fixture unchanged with the reference path\'s result', () => {
    for (const bytes of fixtures) {
      agree(bytes)
      expect(decodeEvent(bytes).ok).toBe(true)
    }
    // A payload string outside ASCII takes dag-cbor's path and is still accepted the same way.
    const withText = fixtures.findIndex((_, i) => typeof (decoded[i].payload as { title?: unknown }).title === 'string')
    expect(withText).toBeGreaterThanOrEqual(0)
    const event = { ...decoded[withText], payload: { ...(decoded[withText].payload as object), title: 'Schéma ✓ 日本' } }
    agree(encodeCanonical(event))
  })
})
