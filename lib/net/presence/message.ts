/**
 * The presence heartbeat on the wire: a 64-byte Ed25519 signature, then the JSON body. Gossip
 * messages carry no libp2p signature (ADR 0075), so the body names its sender (`from`) and the
 * sender signs it with its member key; the signature covers a domain tag and the room as well,
 * so no signed event and no other room's beat can pass for one. Apart from `from`, `root`,
 * `time` and `every`, the body only says what the sender claims about itself.
 */
import { z } from 'zod'
import type { PeerId } from '../../core/ids'
import type { Signer, Verifier } from '../../core/events/signer'
import type { PresenceInfo } from '../../core/presence/tracker'

export const PRESENCE_VERSION = 2

const heartbeatSchema = z.object({
  v: z.literal(PRESENCE_VERSION),
  /** `beat` every interval; `bye` once on a clean shutdown. */
  type: z.enum(['beat', 'bye']),
  /** The member key that signed this beat. */
  from: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  kind: z.enum(['human', 'agent', 'relay']),
  role: z.string().min(1).max(40),
  root: z.string().max(200).optional(),
  /** Sender's wall clock (ms): each sender's beats count only in increasing order of it. */
  time: z.number().int().nonnegative(),
  /**
   * The sender's next beat comes within this many ms (its pace grows with the room, ADR 0092);
   * absent from peers that beat at the room's interval, which is then assumed.
   */
  every: z.number().int().positive().optional(),
})
export type Heartbeat = z.infer<typeof heartbeatSchema>

/** A decoded heartbeat with the bytes its signature must cover. */
export interface SignedHeartbeat {
  beat: Heartbeat
  signed: Uint8Array
  sig: Uint8Array
}

const SIG_BYTES = 64
const MAX_BYTES = 1024
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** What a heartbeat's signature covers: a domain tag, the room and the body. */
function signedBytes(room: string, body: Uint8Array): Uint8Array {
  const head = encoder.encode(`chorus-mesh/presence/${PRESENCE_VERSION}\n${room}\n`)
  const out = new Uint8Array(head.byteLength + body.byteLength)
  out.set(head)
  out.set(body, head.byteLength)
  return out
}

/** Encodes and signs a heartbeat for `room`'s presence topic; `every`: the sender's pace (ms), when it is not the room's. */
export async function encodeHeartbeat(signer: Signer, room: string, type: Heartbeat['type'], info: PresenceInfo, time: number, every?: number): Promise<Uint8Array> {
  const beat: Heartbeat = { v: PRESENCE_VERSION, type, from: signer.peerId, ...info, time: Math.floor(time), ...(every == null ? {} : { every: Math.round(every) }) }
  const body = encoder.encode(JSON.stringify(beat))
  const sig = await signer.sign(signedBytes(room, body))
  const out = new Uint8Array(SIG_BYTES + body.byteLength)
  out.set(sig)
  out.set(body, SIG_BYTES)
  return out
}

/** Decodes a heartbeat of `room` without checking its signature; undefined for anything malformed (never throws). */
export function decodeHeartbeat(room: string, data: Uint8Array): SignedHeartbeat | undefined {
  if (data.byteLength > MAX_BYTES || data.byteLength <= SIG_BYTES) return undefined
  try {
    const body = data.subarray(SIG_BYTES)
    const parsed = heartbeatSchema.safeParse(JSON.parse(decoder.decode(body)))
    return parsed.success ? { beat: parsed.data, signed: signedBytes(room, body), sig: data.subarray(0, SIG_BYTES) } : undefined
  } catch {
    return undefined
  }
}

/** True if the member the heartbeat names signed it (never throws). */
export async function verifyHeartbeat(verifier: Verifier, h: SignedHeartbeat): Promise<boolean> {
  try {
    return await verifier.verify(h.beat.from as PeerId, h.signed, h.sig)
  } catch {
    return false
  }
}
