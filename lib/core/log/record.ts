/**
 * What the log keeps per stored event, compactly (the Node replica's memory is mostly this):
 * the decoded header (ids interned: the log's own strings), the signature and payload bytes in
 * a shared arena, and the decoded payload only where it is read again and again. The envelope's
 * bytes are written again from these on demand (layout.ts); the payload of bulky, numerous
 * kinds is decoded again on demand — the folded state keeps what it needs of it.
 *
 * `event` keeps the shape of a decoded event: `payload` and `sig` are own enumerable accessors,
 * so reading, spreading, destructuring and comparing a stored event work as on a plain one.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { ENVELOPE_VERSION } from '../events/constants'
import type { AnyEvent, EncodedEvent } from '../events/envelope'
import { payloadSchemas, type EventKind } from '../events/kinds'
import type { Role } from '../events/kinds/common'
import type { EventId, PeerId } from '../ids'
import type { ByteArena } from './arena'
import { SIG_BYTES, slotsOf, writeEnvelope, type Header } from './layout'
import type { StoredEvent } from './stored'

/**
 * Kinds whose payload is decoded again when read after the event is folded: the bulk of a
 * room (agents' claims, completions, messages, plans). Every other kind keeps its decoded
 * payload: they are few, and authority, admission of derived events and causal walks read
 * them repeatedly.
 */
const DECODED_ON_DEMAND: ReadonlySet<string> = new Set<EventKind>(['task.claimed', 'task.released', 'task.completed', 'session.message', 'plan.proposed', 'plan.edited'])

const NONE = Symbol('not decoded')
const NO_DEPS: readonly EventId[] = Object.freeze([])

/** A stored event's envelope: header fields as data, `payload` and `sig` read from the arena. */
class LoggedEvent implements Header {
  readonly v = ENVELOPE_VERSION
  readonly room: string
  readonly kind: string
  readonly author: PeerId
  readonly seq: number
  readonly prev: EventId | null
  readonly deps: readonly EventId[]
  readonly lamport: number
  readonly time: number
  /** The arena buffer holding this event's kept bytes, and where they are in it. */
  #buf: Uint8Array
  #from: number
  #to: number
  /** True: the kept bytes are the whole envelope (the layout did not reproduce it). */
  #whole: boolean
  #payload: unknown
  /** The bytes as received, until the log has told every listener about the event. */
  #received: Uint8Array | undefined

  constructor(h: Header, payload: unknown, received: Uint8Array, arena: ByteArena) {
    this.room = h.room
    this.kind = h.kind
    this.author = h.author
    this.seq = h.seq
    this.prev = h.prev
    this.deps = h.deps
    this.lamport = h.lamport
    this.time = h.time
    this.#payload = payload
    this.#received = received
    const slots = slotsOf(h, received)
    this.#whole = slots === undefined
    const n = slots ? SIG_BYTES + received.length - slots.payloadAt : received.length
    const at = arena.reserve(n)
    const buf = arena.buffer
    if (slots) {
      buf.set(received.subarray(slots.sigAt, slots.sigAt + SIG_BYTES), at)
      buf.set(received.subarray(slots.payloadAt), at + SIG_BYTES)
    } else {
      buf.set(received, at)
    }
    this.#buf = buf
    this.#from = at
    this.#to = at + n
    // One defineProperty per accessor: the engine's defineProperties takes a slower, generic path.
    Object.defineProperty(this, 'payload', PAYLOAD)
    Object.defineProperty(this, 'sig', SIG)
  }

  /** The event has been folded and announced: drop what is only kept for that moment. */
  static settle(e: LoggedEvent): void {
    e.#received = undefined
    if (DECODED_ON_DEMAND.has(e.kind)) e.#payload = NONE
  }

  static bytes(e: LoggedEvent): Uint8Array {
    if (e.#received) return e.#received
    return e.#whole ? e.#buf.slice(e.#from, e.#to) : writeEnvelope(e, e.#buf, e.#from, e.#to)
  }

  static sig(e: LoggedEvent): Uint8Array {
    if (!e.#whole) return e.#buf.slice(e.#from, e.#from + SIG_BYTES)
    return (dagCbor.decode(e.#buf.subarray(e.#from, e.#to)) as { sig: Uint8Array }).sig
  }

  static payload(e: LoggedEvent): unknown {
    if (e.#payload !== NONE) return e.#payload
    const raw = e.#whole ? (dagCbor.decode(e.#buf.subarray(e.#from, e.#to)) as { payload: unknown }).payload : dagCbor.decode(e.#buf.subarray(e.#from + SIG_BYTES, e.#to))
    // It parsed when the event was admitted, and the schema and bytes are the same now.
    const parsed = payloadSchemas[e.kind as EventKind].safeParse(raw)
    if (!parsed.success) throw new Error(`stored ${e.kind} payload no longer parses`)
    return parsed.data
  }
}

const PAYLOAD: PropertyDescriptor = {
  enumerable: true,
  get(this: LoggedEvent) {
    return LoggedEvent.payload(this)
  },
}

const SIG: PropertyDescriptor = {
  enumerable: true,
  get(this: LoggedEvent) {
    return LoggedEvent.sig(this)
  },
}

/** A stored event: id, the author's role after it, and its envelope; `bytes` written on demand. */
class Stored {
  constructor(
    readonly id: EventId,
    readonly event: AnyEvent,
    readonly roleAfter: Role | null,
  ) {
    Object.defineProperty(this, 'bytes', BYTES)
  }
}

const BYTES: PropertyDescriptor = {
  enumerable: true,
  get(this: Stored) {
    return LoggedEvent.bytes(this.event as unknown as LoggedEvent)
  },
}

/** What the log interns before storing: the header with its strings replaced by the log's own. */
export interface Interned {
  room: string
  author: PeerId
  prev: EventId | null
  deps: readonly EventId[]
}

const KINDS = new Map(Object.keys(payloadSchemas).map((k) => [k, k]))

/** The compact record of a decoded event (its payload already parsed), with interned strings. */
export function storedRecord(enc: EncodedEvent, interned: Interned, roleAfter: Role | null, arena: ByteArena): StoredEvent {
  const e = enc.event
  const header: Header = {
    room: interned.room,
    kind: KINDS.get(e.kind) ?? e.kind,
    author: interned.author,
    seq: e.seq,
    prev: interned.prev,
    deps: interned.deps.length === 0 ? NO_DEPS : interned.deps,
    lamport: e.lamport,
    time: e.time,
  }
  const event = new LoggedEvent(header, e.payload, enc.bytes, arena) as unknown as AnyEvent
  return new Stored(enc.id, event, roleAfter) as unknown as StoredEvent
}

/** Drops what a record keeps only until it is folded and announced (see `storedRecord`). */
export function settle(stored: StoredEvent): void {
  if (stored.event instanceof LoggedEvent) LoggedEvent.settle(stored.event)
}
