/**
 * Two per-frame costs of libp2p's stream stack that every peer pays for every message it
 * receives, trimmed once per process (ADR 0078):
 *
 * - yamux sends a window update after *every* data frame it receives (one more frame, one more
 *   noise encryption, WebSocket frame and socket write per message, and the same work again on
 *   the receiving side). Here an established stream sends one once an eighth of its receive
 *   window has been used: thirty-odd small messages per update instead of one, while the
 *   sender's window stays above seven eighths, so a hub's coalesced write (up to 256 KiB, a
 *   whole initial window) rarely has to wait for the receiver's update. A stream that still
 *   owes its ACK, or one resuming from a pause, goes through yamux's own logic unchanged.
 * - libp2p's length-prefix decoder (noise frames, and every other stream read with it) asks
 *   its length decoder for the next frame until that throws a RangeError for want of bytes —
 *   so once per chunk received, when the buffer is empty, a new RangeError with its captured
 *   stack. For an empty buffer a prepared error is thrown instead: the decoder stops exactly as
 *   before, without capturing a stack.
 */
import { StreamState, YamuxStream } from '@chainsafe/libp2p-yamux/stream'
import { LengthPrefixedDecoder } from '@libp2p/utils'

type LengthDecoder = (data: { byteLength: number }) => number

/** A window update once this fraction (1/n) of the receive window has been used. */
const UPDATE_EVERY = 8

/** Thrown for an empty buffer: the decoder's loop stops on any RangeError. */
const NO_BYTES_YET = new RangeError('no length prefix in an empty buffer')
const TRIMMED = Symbol('chorus-mesh/frame-costs')

let applied = false

/** Applies both trims (see the module comment); idempotent. */
export function trimFrameCosts(): void {
  if (applied) return
  applied = true

  const stream = YamuxStream.prototype as unknown as { sendWindowUpdate(this: YamuxWindow): void }
  const sendWindowUpdate = stream.sendWindowUpdate
  stream.sendWindowUpdate = function (this: YamuxWindow) {
    if (this.state === StreamState.Established && this.recvWindow - this.recvWindowCapacity < this.recvWindow / UPDATE_EVERY) return
    sendWindowUpdate.call(this)
  }

  const decoder = LengthPrefixedDecoder.prototype as unknown as { decode(this: Decoder, buf: unknown): Generator<unknown> }
  const decode = decoder.decode
  decoder.decode = function (this: Decoder, buf: unknown) {
    if (this[TRIMMED] !== true) {
      const lengthOf = this.lengthDecoder
      this.lengthDecoder = (data) => {
        if (data.byteLength === 0) throw NO_BYTES_YET
        return lengthOf(data)
      }
      this[TRIMMED] = true
    }
    return decode.call(this, buf)
  }
}

/** The fields of a yamux stream the window rule reads (private in its typings). */
interface YamuxWindow {
  state: StreamState
  recvWindow: number
  recvWindowCapacity: number
}

interface Decoder {
  lengthDecoder: LengthDecoder
  [TRIMMED]?: boolean
}
