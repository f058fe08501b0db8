/**
 * Deterministic dag-cbor encoding of events, their content ids, and signing.
 * id = CIDv1(dag-cbor, sha2-256) of the signed envelope's encoding; the signature covers the
 * encoding of every field but `sig`.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import type { EventId } from '../ids'
import { DAG_CBOR_CODE, MAX_EVENT_BYTES, SHA256_CODE } from './constants'
import { envelopeSchema, type AnyEvent, type EncodedEvent, type SignedEvent, type UnsignedEvent } from './envelope'
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

/** The bytes an author signs: the envelope without `sig`. */
export const signingBytes = (event: UnsignedEvent): Uint8Array => {
  const { sig: _sig, ...unsigned } = event as UnsignedEvent & { sig?: unknown }
  return encodeCanonical(unsigned)
}

/** The CID string of encoded bytes (CIDv1, dag-cbor, sha2-256, base32). */
export const cidOf = (bytes: Uint8Array): EventId =>
  CID.createV1(DAG_CBOR_CODE, createDigest(SHA256_CODE, sha256(bytes))).toString() as EventId

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

/**
 * Decode and validate untrusted bytes: size, canonical dag-cbor, envelope structure, kind
 * and payload schema. Does not check the signature or anything that needs other events.
 */
export function decodeEvent(bytes: Uint8Array): DecodeResult {
  if (bytes.length > MAX_EVENT_BYTES) return { ok: false, reason: 'oversized', detail: `${bytes.length} bytes` }
  let raw: unknown
  try {
    raw = dagCbor.decode(bytes)
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: `not dag-cbor: ${(e as Error).message}` }
  }
  // Only the canonical encoding is accepted, so one event has exactly one id.
  let again: Uint8Array
  try {
    again = dagCbor.encode(raw)
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not re-encodable' }
  }
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
    return { ok: false, reason: 'malformed', detail: 'not canonical dag-cbor' }
  }
  const env = envelopeSchema.safeParse(raw)
  if (!env.success) return { ok: false, reason: 'malformed', detail: `envelope: ${env.error.issues[0]?.message}` }
  const { kind } = env.data
  if (!isEventKind(kind)) return { ok: false, reason: 'malformed', detail: `unknown kind ${kind}` }
  const payload = payloadSchemas[kind].safeParse(env.data.payload)
  if (!payload.success) {
    const issue = payload.error.issues[0]
    return { ok: false, reason: 'malformed', detail: `${kind} payload: ${issue?.path.join('.')} ${issue?.message}` }
  }
  const event = { ...env.data, kind, payload: payload.data } as AnyEvent
  // Signed bytes come from the raw envelope: schema defaults must not change what was signed.
  const { sig: _sig, ...unsigned } = raw as Record<string, unknown>
  return { ok: true, value: { id: cidOf(bytes), bytes, event }, signing: dagCbor.encode(unsigned) }
}
