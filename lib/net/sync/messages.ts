/**
 * Wire messages of the anti-entropy protocol `/chorus-mesh/sync/1.0.0` (DESIGN §4), dag-cbor
 * encoded, one per length-prefixed frame. The protocol id carries the major version (libp2p
 * multistream-select negotiates it); `hello.v` carries the minor so a peer can refuse politely.
 * `/chorus-mesh/sync/1.1.0` is the same protocol with one more opening, `probe`: the root alone,
 * so a round between equal replicas costs a few bytes instead of a head per author. A peer that
 * speaks 1.1.0 also answers 1.0.0, and an initiator offers both, so older peers keep syncing.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { z } from 'zod'
import { encodeCanonical } from '../../core/events/codec'
import type { Summary } from '../../core/log/summary'

export const SYNC_PROTOCOL = '/chorus-mesh/sync/1.0.0'
/** The same protocol with the `probe` opening (see the module comment). */
export const SYNC_PROTOCOL_PROBE = '/chorus-mesh/sync/1.1.0'
export const SYNC_VERSION = 1
/** Bounds that keep one round from exhausting a peer. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024
export const MAX_BATCH_EVENTS = 256
export const MAX_BATCH_BYTES = 1024 * 1024
export const MAX_SUMMARY_AUTHORS = 100_000
/** Most events one round may carry in one direction (a 50k-event catch-up fits). */
export const MAX_ROUND_EVENTS = 200_000

const authorSummary = z.object({
  author: z.string().min(1).max(128),
  seq: z.number().int().nonnegative(),
  head: z.string().min(1).max(128),
  forked: z.string().max(128).optional(),
})
const summarySchema = z.object({ root: z.string().max(128), authors: z.array(authorSummary).max(MAX_SUMMARY_AUTHORS) })

const messageSchema = z.discriminatedUnion('t', [
  /** Opens a round (initiator) or answers one (responder) with the sender's summary. */
  z.object({ t: z.literal('hello'), v: z.number().int(), room: z.string().max(128), summary: summarySchema }),
  /** Opens a round (1.1.0) with the initiator's root only; unequal roots get the responder's hello. */
  z.object({ t: z.literal('probe'), v: z.number().int(), room: z.string().max(128), root: z.string().max(128) }),
  /** Roots are equal: nothing to do, the round ends. */
  z.object({ t: z.literal('equal') }),
  /** A batch of encoded events the receiver may lack. */
  z.object({ t: z.literal('events'), events: z.array(z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes')).max(MAX_BATCH_EVENTS) }),
  /** One `events` batch received and ingested: the other side may send another (flow control). */
  z.object({ t: z.literal('ack') }),
  /** The sender has sent all it meant to. */
  z.object({ t: z.literal('done'), sent: z.number().int().nonnegative() }),
  /** The round is refused (wrong room, unsupported version …). */
  z.object({ t: z.literal('error'), reason: z.string().max(500) }),
])
export type SyncMessage = z.infer<typeof messageSchema>

// The wire summary is the core's Summary (branded ids are plain strings on the wire).
export type WireSummary = z.infer<typeof summarySchema>
export const toWire = (s: Summary): WireSummary => s
export const fromWire = (s: WireSummary): Summary => s as Summary

/** Encodes a message for one frame. */
export const encodeSyncMessage = (msg: SyncMessage): Uint8Array => encodeCanonical(msg)

/** Decodes one frame; a malformed frame is a protocol error (the round is dropped). */
export function decodeSyncMessage(bytes: Uint8Array): SyncMessage {
  const parsed = messageSchema.safeParse(dagCbor.decode(bytes))
  if (!parsed.success) throw new SyncProtocolError('malformed', parsed.error.issues[0]?.message ?? 'bad frame')
  return parsed.data
}

export type SyncErrorReason = 'malformed' | 'wrong_room' | 'version' | 'unexpected' | 'remote' | 'closed' | 'limit'

/** Why a sync round was abandoned. */
export class SyncProtocolError extends Error {
  static override name = 'SyncProtocolError'
  constructor(
    readonly reason: SyncErrorReason,
    detail: string,
  ) {
    super(`${reason}: ${detail}`)
  }
}
