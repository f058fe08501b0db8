/**
 * The canonical dag-cbor layout of a v1 envelope, written directly. Canonical key order (length,
 * then bytes) is fixed: v, seq, sig, deps, kind, prev, room, time, author, lamport, payload — so
 * an event's bytes are the header fields, the 64-byte signature at a known place and the
 * payload's bytes last. The log keeps only the signature and the payload's bytes per event
 * (record.ts) and writes the rest again from the decoded header when the bytes are asked for:
 * the ids in `room`, `prev` and `deps` (over half of a typical event) are then held once, as the
 * strings the log already keeps, instead of in the bytes of every event that cites them.
 */
import type { EventId, PeerId } from '../ids'

/** The envelope fields the layout writes (everything but `sig` and `payload`). */
export interface Header {
  readonly room: string
  readonly kind: string
  readonly author: PeerId
  readonly seq: number
  readonly prev: EventId | null
  readonly deps: readonly EventId[]
  readonly lamport: number
  readonly time: number
}

/** Where the signature and the payload sit in an envelope's bytes. */
export interface Slots {
  /** Offset of the 64 signature bytes. */
  readonly sigAt: number
  /** Offset of the payload's bytes (they run to the end). */
  readonly payloadAt: number
}

export const SIG_BYTES = 64

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0))
/** Map of 11 entries, then key "v" and the value 1. */
const START = [0xab, 0x61, ...ascii('v'), 0x01]
const KEY = (k: string): number[] => [0x60 + k.length, ...ascii(k)]
const SEQ = KEY('seq')
/** Key "sig" and the header of a 64-byte byte string. */
const SIG = [...KEY('sig'), 0x58, SIG_BYTES]
const DEPS = KEY('deps')
const KIND = KEY('kind')
const PREV = KEY('prev')
const ROOM = KEY('room')
const TIME = KEY('time')
const AUTHOR = KEY('author')
const LAMPORT = KEY('lamport')
const PAYLOAD = KEY('payload')
const NULL = 0xf6

/** A string the layout cannot write byte for byte (non-ASCII): such an event is kept whole. */
export class NotAscii extends Error {}

/** Writes canonical CBOR heads and the header's values into a buffer large enough for them. */
class Writer {
  at = 0
  constructor(readonly buf: Uint8Array) {}

  raw(bytes: readonly number[]): void {
    for (const b of bytes) this.buf[this.at++] = b
  }

  /** The shortest head of a major type and argument, as canonical CBOR requires. */
  head(major: number, n: number): void {
    const m = major << 5
    const buf = this.buf
    if (n < 24) buf[this.at++] = m | n
    else if (n < 0x100) {
      buf[this.at++] = m | 24
      buf[this.at++] = n
    } else if (n < 0x10000) {
      buf[this.at++] = m | 25
      buf[this.at++] = n >>> 8
      buf[this.at++] = n & 0xff
    } else if (n < 0x1_0000_0000) {
      buf[this.at++] = m | 26
      this.u32(n)
    } else {
      buf[this.at++] = m | 27
      this.u32(Math.floor(n / 0x1_0000_0000))
      this.u32(n >>> 0)
    }
  }

  private u32(n: number): void {
    const buf = this.buf
    buf[this.at++] = n >>> 24
    buf[this.at++] = (n >>> 16) & 0xff
    buf[this.at++] = (n >>> 8) & 0xff
    buf[this.at++] = n & 0xff
  }

  text(s: string): void {
    this.head(3, s.length)
    const buf = this.buf
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c > 0x7f) throw new NotAscii()
      buf[this.at++] = c
    }
  }
}

/** Upper bound of the header's size (strings are ASCII, so one byte a character). */
function headerBound(h: Header): number {
  let n = 120 + h.room.length + h.kind.length + h.author.length + (h.prev?.length ?? 0)
  for (const d of h.deps) n += d.length + 9
  return n
}

/**
 * Writes the envelope's bytes into `buf` from `at`, leaving the signature's 64 bytes and the
 * payload's bytes (from `payloadAt` on) to the caller. Throws NotAscii if a string is not ASCII.
 */
function writeHeader(h: Header, buf: Uint8Array): Slots {
  const w = new Writer(buf)
  w.raw(START)
  w.raw(SEQ)
  w.head(0, h.seq)
  w.raw(SIG)
  const sigAt = w.at
  w.at += SIG_BYTES
  w.raw(DEPS)
  w.head(4, h.deps.length)
  for (const d of h.deps) w.text(d)
  w.raw(KIND)
  w.text(h.kind)
  w.raw(PREV)
  if (h.prev === null) w.raw([NULL])
  else w.text(h.prev)
  w.raw(ROOM)
  w.text(h.room)
  w.raw(TIME)
  w.head(0, h.time)
  w.raw(AUTHOR)
  w.text(h.author)
  w.raw(LAMPORT)
  w.head(0, h.lamport)
  w.raw(PAYLOAD)
  return { sigAt, payloadAt: w.at }
}

let scratch = new Uint8Array(4096)
const scratchFor = (n: number): Uint8Array => (scratch.length >= n ? scratch : (scratch = new Uint8Array(n * 2)))

/**
 * Where the signature and payload sit in `bytes`, if `bytes` are exactly what the layout writes
 * for `h` around them; undefined otherwise (the caller then keeps the bytes whole).
 */
export function slotsOf(h: Header, bytes: Uint8Array): Slots | undefined {
  const buf = scratchFor(headerBound(h))
  let slots: Slots
  try {
    slots = writeHeader(h, buf)
  } catch (e) {
    if (e instanceof NotAscii) return undefined
    throw e
  }
  const { sigAt, payloadAt } = slots
  if (payloadAt >= bytes.length) return undefined
  for (let i = 0; i < sigAt; i++) if (buf[i] !== bytes[i]) return undefined
  for (let i = sigAt + SIG_BYTES; i < payloadAt; i++) if (buf[i] !== bytes[i]) return undefined
  return slots
}

/**
 * The envelope's bytes from its header, its signature and its payload's bytes: `tail` holds
 * the 64 signature bytes then the payload's, from `from` to `to`.
 */
export function writeEnvelope(h: Header, tail: Uint8Array, from: number, to: number): Uint8Array {
  const payloadBytes = to - from - SIG_BYTES
  const buf = scratchFor(headerBound(h) + SIG_BYTES + payloadBytes)
  const { sigAt, payloadAt } = writeHeader(h, buf)
  const out = new Uint8Array(payloadAt + payloadBytes)
  out.set(buf.subarray(0, payloadAt))
  out.set(tail.subarray(from, from + SIG_BYTES), sigAt)
  out.set(tail.subarray(from + SIG_BYTES, to), payloadAt)
  return out
}
