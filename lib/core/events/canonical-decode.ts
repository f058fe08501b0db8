/**
 * A validating decoder for the canonical dag-cbor that events are made of: it decodes and proves
 * the bytes canonical in one pass, so an event needs no re-encode to show that its bytes are
 * the only encoding of its value (one event, one id).
 *
 * It covers the subset events use — unsigned and negative integers within the safe range,
 * finite non-integer float64s, ASCII text, byte strings, arrays, maps with ASCII text keys,
 * booleans and null — and accepts bytes only when they are exactly what dag-cbor's encoder
 * writes for the value they decode to: shortest heads, definite lengths, map keys sorted by
 * length then bytes with no duplicate, nothing after the value. Anything else (non-ASCII text,
 * tags such as CIDs, other simple values, a head that is not shortest, deep nesting, any
 * structural error) is not judged here: the caller then decodes and re-encodes with dag-cbor,
 * which gives the verdict and its error message. So this decoder only ever accepts bytes that
 * path accepts, with the same value; codec-decoder.test.ts searches for a counterexample.
 */

/** Thrown for "not judged here": the caller takes dag-cbor's decode-and-re-encode path. */
const pass: unknown = Object.freeze({ pass: true })

/** Deeper values are left to dag-cbor (bounded recursion here, whatever the input). */
const MAX_DEPTH = 64
const MAX_SAFE = Number.MAX_SAFE_INTEGER
const TWO_32 = 0x1_0000_0000
/** Longer ASCII text is turned into a string natively, without an argument list per character. */
const LONG = 1024
const utf8 = new TextDecoder()

/** One pass over one input; a class so that V8 keeps the position in a field, not a context slot. */
class Reader {
  at = 0
  constructor(readonly data: Uint8Array) {}

  /** The argument of a head whose initial byte is `first`, if written in its shortest form. */
  argument(first: number): number {
    const info = first & 31
    if (info < 24) return info
    const b = this.data
    const at = this.at
    if (info === 24) {
      if (at + 1 > b.length) throw pass
      const n = b[at]
      this.at = at + 1
      if (n < 24) throw pass
      return n
    }
    if (info === 25) {
      if (at + 2 > b.length) throw pass
      const n = (b[at] << 8) | b[at + 1]
      this.at = at + 2
      if (n < 0x100) throw pass
      return n
    }
    if (info === 26) {
      if (at + 4 > b.length) throw pass
      const n = b[at] * 0x100_0000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3])
      this.at = at + 4
      if (n < 0x10000) throw pass
      return n
    }
    if (info === 27) {
      if (at + 8 > b.length) throw pass
      const hi = b[at] * 0x100_0000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3])
      const lo = b[at + 4] * 0x100_0000 + ((b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7])
      this.at = at + 8
      if (hi === 0 || hi >= 0x20_0000) throw pass
      return hi * TWO_32 + lo
    }
    throw pass
  }

  /** ASCII text of `n` bytes; anything else is left to dag-cbor's UTF-8 handling. */
  ascii(n: number): string {
    const b = this.data
    const from = this.at
    const end = from + n
    if (end > b.length) throw pass
    this.at = end
    if (n > LONG) {
      for (let i = from; i < end; i++) if (b[i] > 0x7f) throw pass
      return utf8.decode(b.subarray(from, end))
    }
    // A plain array through fromCharCode is the fastest short-string path in V8 (ids are ~59 characters).
    const codes = new Array<number>(n)
    for (let i = 0; i < n; i++) {
      const c = b[from + i]
      if (c > 0x7f) throw pass
      codes[i] = c
    }
    return String.fromCharCode.apply(null, codes)
  }

  item(depth: number): unknown {
    const b = this.data
    if (depth > MAX_DEPTH || this.at >= b.length) throw pass
    const first = b[this.at++]
    switch (first >> 5) {
      case 0:
        return this.argument(first)
      case 1: {
        const n = this.argument(first)
        if (n >= MAX_SAFE) throw pass
        return -1 - n
      }
      case 2: {
        const n = this.argument(first)
        const from = this.at
        if (from + n > b.length) throw pass
        this.at = from + n
        return new Uint8Array(b.subarray(from, from + n))
      }
      case 3:
        return this.ascii(this.argument(first))
      case 4: {
        const n = this.argument(first)
        if (n > b.length - this.at) throw pass
        const out: unknown[] = []
        for (let i = 0; i < n; i++) out.push(this.item(depth + 1))
        return out
      }
      case 5:
        return this.map(this.argument(first), depth)
      case 7:
        return this.simple(first)
      default:
        throw pass
    }
  }

  map(n: number, depth: number): Record<string, unknown> {
    const b = this.data
    if (n > b.length - this.at) throw pass
    const out: Record<string, unknown> = {}
    let prevAt = 0
    let prevLen = -1
    for (let i = 0; i < n; i++) {
      if (this.at >= b.length) throw pass
      const first = b[this.at++]
      if (first >> 5 !== 3) throw pass
      const len = this.argument(first)
      const keyAt = this.at
      const key = this.ascii(len)
      // Strictly after the previous key, by length then bytes: canonical order, no duplicate.
      if (len < prevLen) throw pass
      if (len === prevLen) {
        let j = 0
        while (j < len && b[prevAt + j] === b[keyAt + j]) j++
        if (j === len || b[prevAt + j] > b[keyAt + j]) throw pass
      }
      // An own `__proto__` property is not what assignment makes; dag-cbor's path decides.
      if (key === '__proto__') throw pass
      out[key] = this.item(depth + 1)
      prevAt = keyAt
      prevLen = len
    }
    return out
  }

  simple(first: number): unknown {
    if (first === 0xf4) return false
    if (first === 0xf5) return true
    if (first === 0xf6) return null
    if (first === 0xfb) {
      const b = this.data
      const at = this.at
      if (at + 8 > b.length) throw pass
      const x = new DataView(b.buffer, b.byteOffset + at, 8).getFloat64(0)
      this.at = at + 8
      // dag-cbor writes integral numbers as integers and has no NaN or infinities.
      if (!Number.isFinite(x) || Number.isInteger(x)) throw pass
      return x
    }
    throw pass
  }
}

/**
 * The value of `bytes` if they are canonical dag-cbor within the subset above, else undefined
 * (not a verdict: the caller must then decode and re-encode with dag-cbor).
 */
export function decodeCanonicalSubset(bytes: Uint8Array): { value: unknown } | undefined {
  const reader = new Reader(bytes)
  try {
    const value = reader.item(0)
    return reader.at === bytes.length ? { value } : undefined
  } catch (e) {
    if (e === pass) return undefined
    throw e
  }
}
