/** What an event log is built with, its defaults, and the shapes of its input and counters. */
import type { Sha256 } from '../events/codec'
import type { EncodedEvent, SignedEvent } from '../events/envelope'
import type { Verifier } from '../events/signer'
import type { PeerId, RoomId } from '../ids'
import type { RejectReason } from './reasons'
import type { StoredEvent } from './stored'

export interface EventLogInit {
  room: RoomId
  verifier: Verifier
  /** Local wall clock (ms). */
  now?: () => number
  /** How far an event's `time` may be ahead of the local clock (ADR 0004). */
  maxClockSkewMs?: number
  maxPending?: number
  maxPendingPerAuthor?: number
  /**
   * SHA-256 for event ids, injected like the verifier: every incoming event is hashed before
   * anything else (duplicates are answered from it). Default: @noble/hashes (pure JS, ≈ 9 µs
   * per 1 KB event here; node:crypto's ≈ 2 µs, see lib/net/keys.ts `nativeSha256`).
   */
  sha256?: Sha256
  /** Called for every newly stored event, in storage order. */
  onStored?: (e: StoredEvent) => void
  /** Called when an author is first found equivocating, or at a lower seq than before. */
  onQuarantine?: (author: PeerId, fromSeq: number) => void
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000
export const DEFAULT_MAX_PENDING = 4096
export const DEFAULT_MAX_PENDING_PER_AUTHOR = 256

export type LogStats = Record<RejectReason | 'accepted' | 'duplicate' | 'pending', number>

/** What `add` takes: received bytes, an encoded event, or a signed event to encode. */
export type AddInput = Uint8Array | EncodedEvent | SignedEvent
