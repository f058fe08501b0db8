/**
 * Deterministic dag-cbor encoding of events, their content ids, and signing.
 * id = CIDv1(dag-cbor, sha2-256) of the signed envelope's encoding; the signature covers the
 * encoding of every field but `sig`.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import { base32 } from 'multiformats/bases/base32'
import type { EventId } from '../ids'
import { SIG_BYTES, slotsOf } from '../log/layout'
import { decodeCanonicalSubset } from './canonical-decode'
import { DAG_CBOR_CODE, MAX_EVENT_BYTES, SHA256_CODE } from './constants'
import { checkEnvelope, type AnyEvent, type CheckedEnvelope, type EncodedEvent, type SignedEvent, type UnsignedEvent } from './envelope'
import { isEventKind, payloadSchemas, type EventKind } from './kinds'
import type { Signer } from './signer'

/** Deep copy without `undefined` object fields, which dag-cbor cannot encode. */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v)
  return out as T
}

/** Canonical dag-cbor bytes of any encodable value. */
export const encodeCanonical = (value: unknown): Uint8Array => dagCbor.encode(stripUndefined(value))

/** A plain Uint8Array view of the same memory (the encoder hands out Buffers in Node, sometimes). */
const plain = (b: Uint8Array): Uint8Array => (b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength))

/** The bytes an author signs: the envelope without `sig`. */
export const signingBytes = (event: UnsignedEvent): Uint8Array => {
  const { sig: _sig, ...unsigned } = event as UnsignedEvent & { sig?: unknown }
  return plain(encodeCanonical(unsigned))
}

/** A SHA-256 function; the default is @noble/hashes (pure JS), a platform may inject a native one. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array

/** varint(CIDv1) varint(dag-cbor) varint(sha2-256) length(32): the fixed prefix of every event CID. */
const CID_PREFIX = Uint8Array.of(0x01, DAG_CBOR_CODE, SHA256_CODE, 32)

/**
 * The CID string of encoded bytes (CIDv1, dag-cbor, sha2-256, base32): what
 * `CID.createV1(0x71, digest).toString()` gives, written directly (that path costs ~6× the
 * base32 encode; codec.test.ts checks they agree).
 */
export const cidOf = (bytes: Uint8Array, hash: Sha256 = sha256): EventId => {
  const cid = new Uint8Array(CID_PREFIX.length + 32)
  cid.set(CID_PREFIX)
  cid.set(hash(bytes), CID_PREFIX.length)
  return base32.encode(cid) as EventId
}

/** Encode a signed event and compute its id. */
export function encodeEvent(event: SignedEvent): EncodedEvent {
  const bytes = encodeCanonical(event)
  return { id: cidOf(bytes), bytes, event: event as AnyEvent }
}

/** Sign an envelope with an injected signer; the author must be the signer. */
export async function signEvent<K extends EventKind>(event: UnsignedEvent<K>, signer: Signer): Promise<EncodedEvent> {
  if (event.author !== signer.peerId) throw new SigningError('author is not the signer')
  const clean = stripUndefined(event)
  const sig = await signer.sign(signingBytes(clean))
  return encodeEvent({ ...clean, sig } as SignedEvent)
}

/** Raised only for local programming errors; remote input is never thrown about. */
export class SigningError extends Error {
  static override name = 'SigningError'
  constructor(readonly reason: string) {
    super(reason)
  }
}

export type DecodeResult =
  | { ok: true; value: EncodedEvent; /** The bytes the signature must cover. */ signing: Uint8Array }
  | { ok: false; reason: 'oversized' | 'malformed'; detail: string }

/** Canonical CBOR of the text strings `v`, `seq` and `sig` (the first keys in canonical order). */
const KEY_V = [0x61, 0x76]
const KEY_SEQ = [0x63, 0x73, 0x65, 0x71]
/** `sig` then the byte-string header of 64 bytes. */
const SIG_ENTRY_HEAD = [0x63, 0x73, 0x69, 0x67, 0x58, 0x40]
const SIG_ENTRY_BYTES = SIG_ENTRY_HEAD.length + 64
/** Map headers of 11 and 10 entries: the envelope with and without `sig`. */
const MAP_11 = 0xab
const MAP_10 = 0xaa

const matchesAt = (bytes: Uint8Array, at: number, want: readonly number[]): boolean => want.every((b, i) => bytes[at + i] === b)

/**
 * Where the `sig` entry's key starts in the canonical bytes of a v1 envelope. Canonical dag-cbor
 * sorts map keys by length then bytes, so a v1 envelope always starts `v`, `seq`, `sig`, and
 * removing that entry and giving the map header one entry less is exactly the encoding of the
 * map without it. Undefined for anything else (never a valid v1 envelope).
 */
function sigEntryAt(bytes: Uint8Array): number | undefined {
  if (bytes[0] !== MAP_11 || !matchesAt(bytes, 1, KEY_V) || !matchesAt(bytes, 4, KEY_SEQ)) return undefined
  // seq is a positive integer (major type 0): 1 byte below 24, else 1 + 1/2/4/8 bytes.
  const info = bytes[8]
  const seqBytes = info < 24 ? 1 : info <= 27 ? 1 + 2 ** (info - 24) : 0
  const at = 8 + seqBytes
  return seqBytes > 0 && matchesAt(bytes, at, SIG_ENTRY_HEAD) && bytes.length >= at + SIG_ENTRY_BYTES ? at : undefined
}

/** The envelope's canonical bytes without the `sig` entry at `at`, in a new array. */
function cutSig(bytes: Uint8Array, at: number): Uint8Array {
  const signing = new Uint8Array(bytes.length - SIG_ENTRY_BYTES)
  signing.set(bytes.subarray(0, at))
  signing[0] = MAP_10
  signing.set(bytes.subarray(at + SIG_ENTRY_BYTES), at)
  return signing
}

/**
 * The signing bytes (the canonical encoding of the envelope without `sig`), cut out of the
 * canonical bytes of a valid envelope instead of encoding the map a second time; anything else
 * falls back to encoding.
 */
function signingFromCanonical(bytes: Uint8Array, raw: Record<string, unknown>): Uint8Array {
  const at = sigEntryAt(bytes)
  if (at !== undefined) return cutSig(bytes, at)
  const { sig: _sig, ...unsigned } = raw
  return plain(dagCbor.encode(unsigned))
}

/**
 * The signing bytes if `bytes` are exactly the canonical encoding of `env`, proven without
 * encoding the header: the layout writes the header's canonical bytes directly and compares them
 * (the ids it holds are most of an event's bytes, and dag-cbor's encoder spends most of a
 * re-encode on them), and only the payload goes through the encoder. Undefined when the layout
 * cannot vouch for them (a non-ASCII string, any difference): the caller then re-encodes it all.
 */
function signingByLayout(env: CheckedEnvelope, payload: unknown, bytes: Uint8Array): Uint8Array | undefined {
  const slots = slotsOf(env, bytes)
  if (slots === undefined) return undefined
  let tail: Uint8Array
  try {
    tail = dagCbor.encode(payload)
  } catch {
    return undefined
  }
  const { sigAt, payloadAt } = slots
  if (tail.length !== bytes.length - payloadAt) return undefined
  for (let i = 0; i < tail.length; i++) if (tail[i] !== bytes[payloadAt + i]) return undefined
  // The envelope without its `sig` entry (key and byte-string head just before sigAt), one entry less.
  const cut = sigAt - SIG_ENTRY_HEAD.length
  const signing = new Uint8Array(bytes.length - SIG_ENTRY_BYTES)
  signing.set(bytes.subarray(0, cut))
  signing[0] = MAP_10
  signing.set(bytes.subarray(sigAt + SIG_BYTES), cut)
  return signing
}

/**
 * Decode and validate untrusted bytes: size, canonical dag-cbor, envelope structure, kind
 * and payload schema. Does not check the signature or anything that needs other events.
 * `id`, when given, must be `cidOf(bytes)` (a caller that hashed first to spot duplicates).
 * Bytes in the subset of canonical-decode.ts are decoded and proven canonical in one pass;
 * the rest take `decodeEventReencoded`, which gives the same verdicts for every input.
 */
export function decodeEvent(bytes: Uint8Array, id?: EventId): DecodeResult {
  if (bytes.length > MAX_EVENT_BYTES) return { ok: false, reason: 'oversized', detail: `${bytes.length} bytes` }
  const fast = decodeCanonicalSubset(bytes)
  if (fast === undefined) return decodeEventReencoded(bytes, id)
  const env = checkEnvelope(fast.value)
  if (typeof env === 'string') return { ok: false, reason: 'malformed', detail: `envelope: ${env}` }
  // The bytes are canonical, so the signing bytes are cut from them (a copy: they belong to the caller).
  return withPayload(env, bytes, id, signingFromCanonical(bytes, fast.value as Record<string, unknown>))
}

/**
 * `decodeEvent` by dag-cbor's decoder and a canonical re-encode (of the payload alone when the
 * layout vouches for the header): the reference verdict, and the path for bytes outside the
 * validating decoder's subset.
 */
export function decodeEventReencoded(bytes: Uint8Array, id?: EventId): DecodeResult {
  if (bytes.length > MAX_EVENT_BYTES) return { ok: false, reason: 'oversized', detail: `${bytes.length} bytes` }
  let raw: unknown
  try {
    raw = dagCbor.decode(bytes)
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: `not dag-cbor: ${(e as Error).message}` }
  }
  const env = checkEnvelope(raw)
  // Only the canonical encoding is accepted, so one event has exactly one id.
  const fast = typeof env === 'string' ? undefined : signingByLayout(env, (raw as { payload: unknown }).payload, bytes)
  let again: Uint8Array | undefined
  if (fast === undefined) {
    try {
      again = dagCbor.encode(raw)
    } catch {
      return { ok: false, reason: 'malformed', detail: 'not re-encodable' }
    }
    if (again.length !== bytes.length) return { ok: false, reason: 'malformed', detail: 'not canonical dag-cbor' }
    for (let i = 0; i < bytes.length; i++) if (again[i] !== bytes[i]) return { ok: false, reason: 'malformed', detail: 'not canonical dag-cbor' }
  }
  if (typeof env === 'string') return { ok: false, reason: 'malformed', detail: `envelope: ${env}` }
  // Signed bytes come from the raw envelope: schema defaults must not change what was signed.
  // They are cut from the received bytes or the re-encoding (equal to `bytes`, which belong to the caller).
  return withPayload(env, bytes, id, fast ?? signingFromCanonical(again as Uint8Array, raw as Record<string, unknown>))
}

/** The kind and payload checks that follow a canonical, structurally valid envelope. */
function withPayload(env: CheckedEnvelope, bytes: Uint8Array, id: EventId | undefined, signing: Uint8Array): DecodeResult {
  const { kind } = env
  if (!isEventKind(kind)) return { ok: false, reason: 'malformed', detail: `unknown kind ${kind}` }
  const payload = payloadSchemas[kind].safeParse(env.payload)
  if (!payload.success) {
    const issue = payload.error.issues[0]
    return { ok: false, reason: 'malformed', detail: `${kind} payload: ${issue?.path.join('.')} ${issue?.message}` }
  }
  const event = { ...env, kind, payload: payload.data } as AnyEvent
  return { ok: true, value: { id: id ?? cidOf(bytes), bytes, event }, signing }
}
