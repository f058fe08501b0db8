/**
 * Random byte edits of dag-cbor encodings for property tests of the event decoder: flipped,
 * inserted and deleted bytes, and heads widened to a longer (same value, non-canonical) form.
 */
import * as dagCbor from '@ipld/dag-cbor'
import fc from 'fast-check'

/** One edit at a position taken modulo the length. */
export type CborEdit = { op: 'set' | 'insert' | 'delete' | 'widen'; at: number; byte: number }

/** Lists of edits, `minLength` to 3 long. */
export function cborEdits(minLength = 0): fc.Arbitrary<CborEdit[]> {
  return fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
      // A head with its argument inline written with a one-byte argument: same value, not canonical.
      fc.record({ op: fc.constant('widen' as const), at: fc.nat(), byte: fc.constant(0) }),
    ),
    { minLength, maxLength: 3 },
  )
}

/** A copy of `original` with the edits applied in order. */
export function applyCborEdits(original: Uint8Array, list: readonly CborEdit[]): Uint8Array {
  const bytes = [...original]
  for (const { op, at, byte } of list) {
    if (bytes.length === 0 && op !== 'insert') continue
    const i = at % (bytes.length + (op === 'insert' ? 1 : 0))
    if (op === 'widen') {
      if (bytes[i] >> 5 !== 7 && (bytes[i] & 31) < 24) bytes.splice(i, 1, (bytes[i] & 0xe0) | 24, bytes[i] & 31)
    } else if (op === 'set') bytes[i] = byte
    else if (op === 'insert') bytes.splice(i, 0, byte)
    else bytes.splice(i, 1)
  }
  return Uint8Array.from(bytes)
}

/** What dag-cbor itself says: the bytes are the canonical encoding of what they decode to. */
export function canonicalByDagCbor(bytes: Uint8Array): boolean {
  try {
    const again = dagCbor.encode(dagCbor.decode(bytes))
    return again.length === bytes.length && again.every((b, i) => b === bytes[i])
  } catch {
    return false
  }
}
