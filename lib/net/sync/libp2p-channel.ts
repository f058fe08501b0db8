/** A sync Channel over a libp2p stream: one dag-cbor message per length-prefixed frame. */
import { lpStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import type { Channel } from './channel'
import { MAX_FRAME_BYTES, SyncProtocolError, decodeSyncMessage, encodeSyncMessage } from './messages'

/** Wraps an open stream; `timeoutMs` bounds every single read and write. */
export function streamChannel(stream: Stream, timeoutMs = 20_000): Channel {
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES })
  let sent = 0
  let received = 0
  return {
    get bytesSent() {
      return sent
    },
    get bytesReceived() {
      return received
    },
    async send(msg) {
      const frame = encodeSyncMessage(msg)
      await lp.write(frame, { signal: AbortSignal.timeout(timeoutMs) })
      sent += frame.byteLength
    },
    async receive() {
      let frame: Uint8Array
      try {
        frame = (await lp.read({ signal: AbortSignal.timeout(timeoutMs) })).subarray()
      } catch (err) {
        throw new SyncProtocolError('closed', (err as Error).message)
      }
      received += frame.byteLength
      return decodeSyncMessage(frame)
    },
    async close() {
      try {
        await stream.close({ signal: AbortSignal.timeout(timeoutMs) })
      } catch {
        stream.abort(new Error('sync round closed'))
      }
    },
  }
}
