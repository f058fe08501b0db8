/**
 * One WebSocket message per write (ADR 0094). libp2p's WebSocket connection sends every chunk
 * of a write as its own WebSocket message, and noise writes each frame as two chunks (its
 * 2-byte length prefix and the ciphertext): two messages, two socket writes (`writev`) and two
 * message events at the receiver for every frame, so a relay forwarding one event to twenty
 * subscribers would make forty writes. Here a connection's write of several chunks leaves as
 * one message holding them in order (a few, for a write above `MAX_MESSAGE`); the receiver
 * reads a byte stream, so where message boundaries fall changes nothing it decodes.
 *
 * It wraps the transport rather than patching its module: the transport hands each new
 * connection to the upgrader it is given (on dial, and to its listener), so a wrapped upgrader
 * sees every WebSocket connection before noise is set up on it.
 */
import type { MultiaddrConnection, Transport, Upgrader } from '@libp2p/interface'

/** Chunks are joined into messages of at most this many bytes (a single larger chunk goes alone). */
export const MAX_MESSAGE = 256 * 1024

const JOINED = Symbol('chorus-mesh/ws-messages')

/** WebSocket messages this process has sent (each one socket write), for a relay's metrics. */
export const sentMessages = { count: 0 }

/**
 * A write as the stock connection's `sendData` reads it: its chunks in order (one message each)
 * and their total length (a Uint8ArrayList; only these two members are used).
 */
interface Chunks extends Iterable<Uint8Array> {
  readonly byteLength: number
}

/** The part of the stock WebSocket connection this changes (protected in its typings). */
interface SendsData {
  sendData(data: Chunks): { sentBytes: number; canSendMore: boolean }
  [JOINED]?: boolean
}

/** The chunks of a write joined, in order, into as few buffers as `max` bytes each allows. */
export function joinChunks(chunks: Iterable<Uint8Array>, max = MAX_MESSAGE): Uint8Array[] {
  const out: Uint8Array[] = []
  let group: Uint8Array[] = []
  let size = 0
  const flush = (): void => {
    if (group.length === 1) out.push(group[0])
    else if (group.length > 1) {
      const joined = new Uint8Array(size)
      let at = 0
      for (const b of group) {
        joined.set(b, at)
        at += b.byteLength
      }
      out.push(joined)
    }
    group = []
    size = 0
  }
  for (const buf of chunks) {
    if (buf.byteLength === 0) continue
    if (size > 0 && size + buf.byteLength > max) flush()
    group.push(buf)
    size += buf.byteLength
  }
  flush()
  return out
}

/** Makes a WebSocket connection send each write's chunks as one message; idempotent. */
export function joinWrites(maConn: MultiaddrConnection): MultiaddrConnection {
  const conn = maConn as unknown as SendsData
  if (conn[JOINED] === true || typeof conn.sendData !== 'function') return maConn
  const send = conn.sendData.bind(conn)
  conn.sendData = (data) => {
    const joined = joinChunks(data)
    sentMessages.count += joined.length
    return send({ byteLength: data.byteLength, [Symbol.iterator]: () => joined[Symbol.iterator]() })
  }
  conn[JOINED] = true
  return maConn
}

/** An upgrader that joins the writes of every connection it upgrades. */
function joiningUpgrader(upgrader: Upgrader): Upgrader {
  return new Proxy(upgrader, {
    get(target, prop) {
      if (prop === 'upgradeInbound') return (maConn: MultiaddrConnection, opts: Parameters<Upgrader['upgradeInbound']>[1]) => target.upgradeInbound(joinWrites(maConn), opts)
      if (prop === 'upgradeOutbound') return (maConn: MultiaddrConnection, opts: Parameters<Upgrader['upgradeOutbound']>[1]) => target.upgradeOutbound(joinWrites(maConn), opts)
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** The WebSockets transport (or any whose connections send chunk by chunk), one message per write. */
export function oneMessagePerWrite<C>(make: (components: C) => Transport): (components: C) => Transport {
  return (components) => {
    const t = make(components)
    const dial = t.dial.bind(t)
    const createListener = t.createListener.bind(t)
    t.dial = async (ma, options) => dial(ma, { ...options, upgrader: joiningUpgrader(options.upgrader) })
    t.createListener = (options) => createListener({ ...options, upgrader: joiningUpgrader(options.upgrader) })
    return t
  }
}
