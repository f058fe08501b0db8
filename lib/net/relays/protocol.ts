/**
 * RELAYS_PROTOCOL on the wire: the asking peer opens a stream, the relay writes one
 * length-prefixed JSON answer and closes. Only relays handle it, so a peer that speaks it (as
 * identify reports) is a relay; the answer is checked against the schema and never thrown into
 * callers as anything but an error with a reason.
 */
import { lpStream } from '@libp2p/utils'
import type { Connection, Libp2p } from '@libp2p/interface'
import { RELAYS_PROTOCOL, relaysAnswerSchema, type RelaysAnswer } from './record'

const MAX_ANSWER_BYTES = 64 * 1024
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Serves `answer()` on RELAYS_PROTOCOL until `unhandle` (relays only). */
export async function serveRelays(node: Libp2p, answer: () => RelaysAnswer): Promise<void> {
  await node.handle(
    RELAYS_PROTOCOL,
    async (stream) => {
      const lp = lpStream(stream, { maxDataLength: MAX_ANSWER_BYTES })
      try {
        await lp.write(encoder.encode(JSON.stringify(answer())), { signal: AbortSignal.timeout(10_000) })
        await stream.close({ signal: AbortSignal.timeout(10_000) })
      } catch (err) {
        stream.abort(err as Error)
      }
    },
    // A tab reaches relays over WebSockets, never over a relayed hop; limited connections do not need this.
    { runOnLimitedConnection: false, maxInboundStreams: 4 },
  )
}

/** Why a relays answer could not be had. */
export class RelaysQueryError extends Error {
  static override name = 'RelaysQueryError'
  constructor(
    readonly reason: 'unsupported' | 'failed' | 'malformed',
    detail: string,
  ) {
    super(detail)
  }
}

/** Asks the relay at the other end of `conn`; rejects with RelaysQueryError. */
export async function askRelays(conn: Connection, timeoutMs = 10_000): Promise<RelaysAnswer> {
  let stream
  try {
    stream = await conn.newStream(RELAYS_PROTOCOL, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    const e = err as Error
    throw new RelaysQueryError(e.name === 'UnsupportedProtocolError' ? 'unsupported' : 'failed', e.message)
  }
  const lp = lpStream(stream, { maxDataLength: MAX_ANSWER_BYTES })
  let text: string
  try {
    text = decoder.decode((await lp.read({ signal: AbortSignal.timeout(timeoutMs) })).subarray())
  } catch (err) {
    stream.abort(err as Error)
    throw new RelaysQueryError('failed', (err as Error).message)
  }
  await stream.close().catch(() => stream.abort(new Error('closing')))
  let parsed
  try {
    parsed = relaysAnswerSchema.safeParse(JSON.parse(text))
  } catch (err) {
    throw new RelaysQueryError('malformed', `not JSON: ${(err as Error).message}`)
  }
  if (!parsed.success) throw new RelaysQueryError('malformed', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  return parsed.data
}
