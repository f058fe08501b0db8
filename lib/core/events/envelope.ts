/**
 * The v1 event envelope (DESIGN §1). Frozen: a shipped version is never edited; fixtures in
 * fixtures.test.ts keep it so.
 */
import { z } from 'zod'
import type { EventId, PeerId } from '../ids'
import { ENVELOPE_VERSION, MAX_DEPS } from './constants'
import { eventIdSchema, peerIdSchema, signatureSchema } from './kinds/common'
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

/** Structure of a v1 envelope; the payload is checked separately by its kind's schema. */
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
