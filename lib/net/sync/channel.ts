/**
 * The sync protocol runs over a Channel of whole messages, so its logic is tested over an
 * in-memory pair and run over libp2p streams unchanged (automerge-repo's adapter pattern).
 */
import { SyncProtocolError, decodeSyncMessage, encodeSyncMessage, type SyncMessage } from './messages'

export interface Channel {
  send(msg: SyncMessage): Promise<void>
  /** The next message; rejects with SyncProtocolError('closed') when the other side is gone. */
  receive(): Promise<SyncMessage>
  close(): Promise<void>
  /** Encoded bytes written and read so far, for metrics and benchmarks. */
  readonly bytesSent: number
  readonly bytesReceived: number
}

interface End {
  inbox: Uint8Array[]
  waiter?: (frame: Uint8Array | null) => void
  closed: boolean
}

/** Two connected in-memory channels (tests); frames go through the real codec. */
export function memoryChannelPair(): [Channel, Channel] {
  const a: End = { inbox: [], closed: false }
  const b: End = { inbox: [], closed: false }
  const channel = (self: End, other: End): Channel => {
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
        if (self.closed || other.closed) throw new SyncProtocolError('closed', 'channel closed')
        const frame = encodeSyncMessage(msg)
        sent += frame.byteLength
        const w = other.waiter
        other.waiter = undefined
        if (w) w(frame)
        else other.inbox.push(frame)
      },
      async receive() {
        let frame = self.inbox.shift() ?? null
        if (frame == null) {
          if (self.closed || other.closed) throw new SyncProtocolError('closed', 'channel closed')
          frame = await new Promise<Uint8Array | null>((resolve) => (self.waiter = resolve))
        }
        if (frame == null) throw new SyncProtocolError('closed', 'channel closed')
        received += frame.byteLength
        return decodeSyncMessage(frame)
      },
      async close() {
        self.closed = true
        for (const end of [self, other]) {
          const w = end.waiter
          end.waiter = undefined
          w?.(null)
        }
      },
    }
  }
  return [channel(a, b), channel(b, a)]
}
