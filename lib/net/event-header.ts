/**
 * A cheap read of an encoded event's header fields (author, time, prev, deps) straight from its
 * dag-cbor bytes, without decoding the payload, re-encoding or verifying (ADR 0061). The budget
 * per author looks at this before any signature work. What it returns is a *claim*: nothing
 * here is verified, so callers may only use it to decide whether to spend work on the event,
 * never to charge an author (see AuthorBudget).
 *
 * It walks the top-level map item by item and stops once it has the four fields (in the
 * canonical key order `author` comes after `deps`, `prev` and `time`, before `payload`).
 * Anything that is not a well-formed definite-length map of text keys gives undefined; the
 * ingest path then decodes it in full and rejects it as malformed.
 */

export interface EventHeader {
  author: string
  time: number
  prev: string | null
  deps: string[]
}

const text = new TextDecoder('utf-8', { fatal: true })
const MAX_DEPTH = 16

/** Thrown internally on malformed input; peekHeader turns it into undefined. */
class Bad extends Error {}

class Reader {
  pos = 0
  constructor(private readonly b: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.b.length) throw new Bad()
    return this.b[this.pos++]
  }

  /** Reads an item head: major type and argument (definite lengths only). */
  head(): [major: number, arg: number] {
    const first = this.byte()
    const major = first >> 5
    const info = first & 31
    if (info < 24) return [major, info]
    const n = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0
    if (n === 0) throw new Bad() // indefinite lengths and reserved values: not dag-cbor
    let arg = 0
    for (let i = 0; i < n; i++) arg = arg * 256 + this.byte()
    // Integers and lengths beyond 2^53 are not ours; a float64's bits may be (major 7).
    if (arg > Number.MAX_SAFE_INTEGER && major !== 7) throw new Bad()
    return [major, arg]
  }

  text(): string {
    const [major, len] = this.head()
    if (major !== 3) throw new Bad()
    return this.str(len)
  }

  str(len: number): string {
    if (this.pos + len > this.b.length) throw new Bad()
    const s = text.decode(this.b.subarray(this.pos, this.pos + len))
    this.pos += len
    return s
  }

  /** Skips one whole item. */
  skip(depth = 0): void {
    if (depth > MAX_DEPTH) throw new Bad()
    const [major, arg] = this.head()
    switch (major) {
      case 0:
      case 1:
        return
      case 2:
      case 3:
        if (this.pos + arg > this.b.length) throw new Bad()
        this.pos += arg
        return
      case 4:
        for (let i = 0; i < arg; i++) this.skip(depth + 1)
        return
      case 5:
        for (let i = 0; i < 2 * arg; i++) this.skip(depth + 1)
        return
      case 6:
        this.skip(depth + 1)
        return
      default:
        // major 7: simple values (false, true, null) carry no payload; a float's bytes were read as the argument.
        return
    }
  }
}

/** The header fields of an encoded event, or undefined if the bytes are not a plausible event map. */
export function peekHeader(bytes: Uint8Array): EventHeader | undefined {
  try {
    const r = new Reader(bytes)
    const [major, entries] = r.head()
    if (major !== 5 || entries > 32) return undefined
    let author: string | undefined
    let time: number | undefined
    let prev: string | null | undefined
    let deps: string[] | undefined
    for (let i = 0; i < entries; i++) {
      const key = r.text()
      if (key === 'author') {
        author = r.text()
      } else if (key === 'time') {
        const [m, v] = r.head()
        if (m !== 0) return undefined
        time = v
      } else if (key === 'prev') {
        const [m, len] = r.head()
        if (m === 7 && len === 22) prev = null
        else if (m === 3) prev = r.str(len)
        else return undefined
      } else if (key === 'deps') {
        const [m, n] = r.head()
        if (m !== 4 || n > 64) return undefined
        deps = []
        for (let j = 0; j < n; j++) deps.push(r.text())
      } else {
        r.skip()
      }
      if (author !== undefined && time !== undefined && prev !== undefined && deps !== undefined) return { author, time, prev, deps }
    }
    return undefined
  } catch {
    return undefined
  }
}
