/**
 * The v1 event envelope (DESIGN §1). Frozen: a shipped version is never edited; fixtures in
 * fixtures.test.ts keep it so.
 */
import { z } from 'zod'
import type { EventId, PeerId } from '../ids'
import { ENVELOPE_VERSION, MAX_DEPS } from './constants'
import { eventIdSchema, peerIdSchema, signatureSchema } from './kinds/common'
import { isEd25519PeerId } from './peer-id'
import type { EventKind, PayloadOf } from './kinds'

/** All envelope fields but `sig`: what is signed. */
export interface UnsignedEvent<K extends EventKind = EventKind> {
  v: typeof ENVELOPE_VERSION
  /** The room id; empty in the genesis event, whose own id becomes the room id. */
  room: string
  kind: K
  author: PeerId
  seq: number
  prev: EventId | null
  deps: EventId[]
  lamport: number
  time: number
  payload: PayloadOf<K>
}
export interface SignedEvent<K extends EventKind = EventKind> extends UnsignedEvent<K> {
  sig: Uint8Array
}
/** A signed event narrowed by kind: `switch (e.kind)` narrows `e.payload`. */
export type AnyEvent = { [K in EventKind]: SignedEvent<K> }[EventKind]

/** A decoded event with its id and exact bytes. */
export interface EncodedEvent {
  id: EventId
  bytes: Uint8Array
  event: AnyEvent
}

const sortedUnique = (ids: readonly string[]): boolean => ids.every((id, i) => i === 0 || ids[i - 1] < id)

/**
 * Structure of a v1 envelope; the payload is checked separately by its kind's schema. The
 * decoder runs the same checks written out (`checkEnvelope`); this schema is their reference.
 */
export const envelopeSchema = z
  .object({
    v: z.literal(ENVELOPE_VERSION),
    room: z.union([eventIdSchema, z.literal('')]),
    kind: z.string().max(64),
    author: peerIdSchema,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    prev: eventIdSchema.nullable(),
    deps: z.array(eventIdSchema).max(MAX_DEPS).refine(sortedUnique, 'deps sorted and distinct'),
    lamport: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    time: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    payload: z.unknown(),
    sig: signatureSchema,
  })
  .strict()
  .refine((e) => (e.seq === 1) === (e.prev === null), 'prev is null exactly when seq is 1')
  .refine((e) => e.prev === null || !e.deps.includes(e.prev as EventId), 'deps exclude prev')

/** A structurally valid envelope whose kind and payload are not checked yet. */
export type CheckedEnvelope = Omit<SignedEvent, 'kind' | 'payload'> & { kind: string; payload: unknown }

const ENVELOPE_KEYS = new Set(['v', 'room', 'kind', 'author', 'seq', 'prev', 'deps', 'lamport', 'time', 'payload', 'sig'])
const EVENT_ID = /^b[a-z2-7]{58}$/
const isEventId = (x: unknown): x is EventId => typeof x === 'string' && EVENT_ID.test(x)
const isInt = (x: unknown, min: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= Number.MAX_SAFE_INTEGER

/** Authors already found to be well-formed Ed25519 peer ids (base58 decoding is the costly part). */
const knownAuthors = new Set<string>()
const MAX_KNOWN_AUTHORS = 10_000
function isAuthor(x: unknown): x is PeerId {
  if (typeof x !== 'string' || x.length > 100) return false
  if (knownAuthors.has(x)) return true
  if (!isEd25519PeerId(x)) return false
  if (knownAuthors.size >= MAX_KNOWN_AUTHORS) knownAuthors.clear()
  knownAuthors.add(x)
  return true
}

/**
 * The checks of `envelopeSchema`, written out: this runs for every incoming event, and zod
 * cost as much as the decode itself. Returns the envelope (fields in schema order) or the
 * first problem found. envelope.test.ts holds the two to the same verdicts.
 */
export function checkEnvelope(raw: unknown): CheckedEnvelope | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) return 'an envelope is a map'
  const e = raw as Record<string, unknown>
  for (const k of Object.keys(e)) if (!ENVELOPE_KEYS.has(k)) return `unknown field ${k}`
  const { v, room, kind, author, seq, prev, deps, lamport, time, payload, sig } = e
  if (v !== ENVELOPE_VERSION) return `v is ${ENVELOPE_VERSION}`
  if (room !== '' && !isEventId(room)) return 'room: an event id (CIDv1 base32) or empty'
  if (typeof kind !== 'string' || kind.length > 64) return 'kind: a string of at most 64 characters'
  if (!isAuthor(author)) return 'author: an Ed25519 libp2p peer id'
  if (!isInt(seq, 1)) return 'seq: an integer ≥ 1'
  if (prev !== null && !isEventId(prev)) return 'prev: an event id (CIDv1 base32) or null'
  if (!Array.isArray(deps) || deps.length > MAX_DEPS || !deps.every(isEventId)) return `deps: at most ${MAX_DEPS} event ids`
  if (!sortedUnique(deps)) return 'deps sorted and distinct'
  if (!isInt(lamport, 1)) return 'lamport: an integer ≥ 1'
  if (!isInt(time, 0)) return 'time: an integer ≥ 0'
  if (!Object.hasOwn(e, 'payload')) return 'payload: required'
  if (!(sig instanceof Uint8Array) || sig.length !== 64) return 'a 64-byte signature'
  if ((seq === 1) !== (prev === null)) return 'prev is null exactly when seq is 1'
  if (prev !== null && deps.includes(prev)) return 'deps exclude prev'
  return { v, room: room as string, kind, author, seq, prev, deps: deps as EventId[], lamport, time, payload, sig }
}
