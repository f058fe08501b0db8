/**
 * One anti-entropy round over a Channel (DESIGN §4). The initiator sends its summary; equal
 * Merkle roots end the round at once. Otherwise the responder answers with its own summary and
 * both sides stream what the other lacks, in bounded batches, while reading concurrently (so
 * two large sends can never wait on each other). Forks travel both ways because the core's
 * `missingFrom` over-sends for forked authors.
 */
import type { Summary } from '../../core/log/summary'
import type { Channel } from './channel'
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_ROUND_EVENTS, SYNC_VERSION, SyncProtocolError, fromWire, toWire, type SyncMessage } from './messages'

/** What a round needs from the local replica. */
export interface SyncReplica {
  readonly room: string
  summary(): Summary
  /** Encoded events a peer with `remote` may lack, in an order it can apply (lamport, id). */
  missingFrom(remote: Summary): Uint8Array[]
  /** Adds received events (from peer `from` when known); returns how many were new. */
  ingest(events: Uint8Array[], from?: string): Promise<number>
}

export interface RoundResult {
  /** True when the roots were equal and nothing was exchanged. */
  equal: boolean
  sent: number
  received: number
  /** Events received that were new here. */
  added: number
  bytesSent: number
  bytesReceived: number
}

/**
 * Runs a round as the side that opened the stream. `probe`: open with the root alone (the
 * responder speaks 1.1.0) and send the summary only if the roots differ.
 */
export async function initiateRound(ch: Channel, replica: SyncReplica, opts: { probe?: boolean } = {}): Promise<RoundResult> {
  const mine = replica.summary()
  if (opts.probe) await ch.send({ t: 'probe', v: SYNC_VERSION, room: replica.room, root: mine.root })
  else await ch.send({ t: 'hello', v: SYNC_VERSION, room: replica.room, summary: toWire(mine) })
  const first = await ch.receive()
  if (first.t === 'equal') return result(ch, true, 0, 0, 0)
  if (first.t === 'error') throw new SyncProtocolError('remote', first.reason)
  if (first.t !== 'hello') throw new SyncProtocolError('unexpected', `expected hello, got ${first.t}`)
  // The responder holds something else: it waits for the summary the probe left out.
  if (opts.probe) await ch.send({ t: 'hello', v: SYNC_VERSION, room: replica.room, summary: toWire(mine) })
  return exchange(ch, replica, fromWire(first.summary))
}

/** Answers a round on an incoming stream (opened by a hello, or by a probe in 1.1.0). */
export async function respondRound(ch: Channel, replica: SyncReplica): Promise<RoundResult> {
  const opening = await ch.receive()
  if (opening.t !== 'hello' && opening.t !== 'probe') throw new SyncProtocolError('unexpected', `expected hello, got ${opening.t}`)
  if (opening.room !== replica.room) {
    await ch.send({ t: 'error', reason: `this peer serves room ${replica.room}` })
    throw new SyncProtocolError('wrong_room', opening.room)
  }
  if (opening.v !== SYNC_VERSION) {
    await ch.send({ t: 'error', reason: `sync version ${opening.v} not supported (have ${SYNC_VERSION})` })
    throw new SyncProtocolError('version', String(opening.v))
  }
  const mine = replica.summary()
  if (mine.root === (opening.t === 'probe' ? opening.root : opening.summary.root)) {
    await ch.send({ t: 'equal' })
    return result(ch, true, 0, 0, 0)
  }
  await ch.send({ t: 'hello', v: SYNC_VERSION, room: replica.room, summary: toWire(mine) })
  if (opening.t === 'hello') return exchange(ch, replica, fromWire(opening.summary))
  const theirs = await ch.receive()
  if (theirs.t === 'error') throw new SyncProtocolError('remote', theirs.reason)
  if (theirs.t !== 'hello') throw new SyncProtocolError('unexpected', `expected hello, got ${theirs.t}`)
  return exchange(ch, replica, fromWire(theirs.summary))
}

/**
 * Flow control: a side sends a batch only while fewer than WINDOW of its batches are
 * unacknowledged, and acknowledges each batch it received once ingested. libp2p buffers
 * incoming data whether or not anyone reads it (4 MiB, then the stream is aborted), so without
 * this a large catch-up died as soon as the sender outran the receiver's ingest.
 */
const WINDOW = 2

/** Counts the other side's acks and lets the sender wait for one. */
class Acks {
  count = 0
  private waiter?: () => void
  private failed?: Error

  add(): void {
    this.count++
    this.waiter?.()
  }

  fail(err: Error): void {
    this.failed = err
    this.waiter?.()
  }

  async atLeast(n: number): Promise<void> {
    while (this.count < n) {
      if (this.failed) throw this.failed
      await new Promise<void>((resolve) => (this.waiter = resolve))
      this.waiter = undefined
    }
  }
}

async function exchange(ch: Channel, replica: SyncReplica, remote: Summary): Promise<RoundResult> {
  const outgoing = replica.missingFrom(remote)
  const acks = new Acks()
  const sending = send(ch, outgoing, acks)
  const receiving = receive(ch, replica, acks, sending).catch((err: Error) => {
    acks.fail(err)
    throw err
  })
  const [sent, [received, added]] = await Promise.all([sending, receiving])
  return result(ch, false, sent, received, added)
}

async function send(ch: Channel, events: Uint8Array[], acks: Acks): Promise<number> {
  let batches = 0
  let batch: Uint8Array[] = []
  let bytes = 0
  const flush = async () => {
    await acks.atLeast(batches - WINDOW + 1)
    await ch.send({ t: 'events', events: batch })
    batches++
    batch = []
    bytes = 0
  }
  for (const e of events) {
    if (batch.length >= MAX_BATCH_EVENTS || (batch.length > 0 && bytes + e.byteLength > MAX_BATCH_BYTES)) await flush()
    batch.push(e)
    bytes += e.byteLength
  }
  if (batch.length > 0) await flush()
  await ch.send({ t: 'done', sent: events.length })
  return events.length
}

/**
 * Reads until the other side is done *and* our own sending has finished: our sender may still
 * be waiting for acks, which only this loop reads.
 */
async function receive(ch: Channel, replica: SyncReplica, acks: Acks, sending: Promise<number>): Promise<[number, number]> {
  let received = 0
  let added = 0
  let peerDone = false
  let sent = false
  const sentSignal = sending.then(() => 'sent' as const, () => 'sent' as const)
  let next: Promise<SyncMessage> | undefined
  while (!(peerDone && sent)) {
    next ??= ch.receive()
    const got = sent ? await next : await Promise.race([next, sentSignal])
    if (got === 'sent') {
      sent = true
      continue
    }
    next = undefined
    const msg = got
    if (msg.t === 'ack') {
      acks.add()
      continue
    }
    if (msg.t === 'done') {
      peerDone = true
      continue
    }
    if (msg.t === 'error') throw new SyncProtocolError('remote', msg.reason)
    if (msg.t !== 'events' || peerDone) throw new SyncProtocolError('unexpected', `unexpected ${msg.t}`)
    received += msg.events.length
    if (received > MAX_ROUND_EVENTS) throw new SyncProtocolError('limit', `more than ${MAX_ROUND_EVENTS} events in one round`)
    added += await replica.ingest(msg.events)
    await ch.send({ t: 'ack' })
  }
  // A read still pending here would only ever see late acks; it fails when the stream closes.
  next?.catch(() => undefined)
  return [received, added]
}

function result(ch: Channel, equal: boolean, sent: number, received: number, added: number): RoundResult {
  return { equal, sent, received, added, bytesSent: ch.bytesSent, bytesReceived: ch.bytesReceived }
}
