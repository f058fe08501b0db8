/**
 * One socket write per WebSocket per tick. libp2p's WebSocket connection sends every chunk it
 * is handed as its own WebSocket message, and `ws` writes each message to the socket at once:
 * a noise frame (its length prefix, then its ciphertext) costs two `writev` system calls, and a
 * hub forwarding an event to every subscriber makes two per subscriber, besides window updates
 * and the other streams' frames to the same peer in the same task. On loopback and on a busy
 * machine those calls were the relay's largest single cost. Here the first send of a tick corks
 * the socket and the end of the tick uncorks it, so everything written to one peer during a
 * task leaves in one `writev`. Messages, their order and their framing are unchanged; a close
 * (`end`) flushes a corked socket first, so nothing written before a close is held back.
 */
import type { Socket } from 'node:net'
import { WebSocket } from 'ws'

const CORKED = Symbol('chorus-mesh/socket-batch')

type Corkable = Socket & { [CORKED]?: boolean }

let applied = false

/** Makes every `ws` WebSocket of this process batch its socket writes per tick (idempotent). */
export function batchSocketWrites(): void {
  if (applied) return
  applied = true
  const proto = WebSocket.prototype as unknown as { send(this: { _socket?: Corkable }, ...args: unknown[]): void }
  const send = proto.send
  proto.send = function (...args) {
    const socket = this._socket
    if (socket != null && socket[CORKED] !== true && !socket.destroyed) {
      socket[CORKED] = true
      socket.cork()
      process.nextTick(() => {
        socket[CORKED] = false
        socket.uncork()
      })
    }
    send.apply(this, args)
  }
}
