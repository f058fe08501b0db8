/**
 * Gossipsub writes every RPC to a peer as soon as it is made: one yamux frame, one noise
 * encryption, one WebSocket frame and one socket write per message per peer. A hub that
 * forwards a backlog does that hundreds of times in one task. Here the writes a peer's
 * outbound stream gets during one task of the event loop — its microtasks included: a group
 * commit answers a backlog's validators together and gossipsub forwards each in a microtask of
 * its own — go out together when that task ends, as one write of their length-prefixed bytes
 * (the receiver's decoder reads them as the same messages). The fixed cost is paid once per
 * peer per task instead of once per message, and no message waits for a later turn of the loop,
 * which on a busy hub carries every other peer's slices first.
 */
import type { GossipSub } from '@libp2p/gossipsub'
import { nextTurn } from './turn'

/** What gossipsub's OutboundStream does with its length-prefixed bytes. */
interface Outbound {
  pushPrefixed(data: Uint8Array | { subarray(): Uint8Array }): void
}

/** Writes larger than this go out at once (gossipsub's default outbound buffer is 4 MiB). */
const FLUSH_BYTES = 256 * 1024

/**
 * Runs `fn` when the current task's microtasks have drained, before the next task. In Node a
 * `process.nextTick` queued from a microtask runs once the microtask queue is empty (queued
 * from the task's own code it would run before its microtasks, hence the hop through one).
 * Elsewhere (a tab is never a hub) on the next turn.
 */
const endOfTask: (fn: () => void) => void =
  typeof process !== 'undefined' && typeof process.nextTick === 'function'
    ? (fn) => queueMicrotask(() => process.nextTick(fn))
    : (fn) => void nextTurn().then(fn)

/** Makes every outbound gossip stream `pubsub` opens from now on coalesce its writes per task. */
export function coalesceSends(pubsub: GossipSub): void {
  const streams = (pubsub as unknown as { streamsOutbound: Map<string, Outbound> }).streamsOutbound
  const set = streams.set.bind(streams)
  streams.set = (id: string, stream: Outbound) => set(id, coalesced(stream))
}

function coalesced(stream: Outbound): Outbound {
  const write = stream.pushPrefixed.bind(stream)
  let queued: Uint8Array[] = []
  let bytes = 0
  const flush = (): void => {
    if (queued.length === 0) return
    const parts = queued
    queued = []
    const out = parts.length === 1 ? parts[0] : new Uint8Array(bytes)
    if (parts.length > 1) {
      let at = 0
      for (const p of parts) {
        out.set(p, at)
        at += p.byteLength
      }
    }
    bytes = 0
    try {
      write(out)
    } catch {
      // The stream closed meanwhile: gossipsub opens a new one, and sync repairs what this carried.
    }
  }
  stream.pushPrefixed = (data) => {
    const part = data instanceof Uint8Array ? data : data.subarray()
    if (queued.length === 0) endOfTask(flush)
    queued.push(part)
    bytes += part.byteLength
    if (bytes >= FLUSH_BYTES) flush()
  }
  return stream
}
