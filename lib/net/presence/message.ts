/**
 * The presence heartbeat on the wire. Gossipsub signs every message (StrictSign), so the
 * sender is `msg.from`; the body only says what the sender claims about itself.
 */
import { z } from 'zod'
import type { PresenceInfo } from '../../core/presence/tracker'

export const PRESENCE_VERSION = 1

const heartbeatSchema = z.object({
  v: z.literal(PRESENCE_VERSION),
  /** `beat` every interval; `bye` once on a clean shutdown. */
  type: z.enum(['beat', 'bye']),
  name: z.string().min(1).max(100),
  kind: z.enum(['human', 'agent', 'relay']),
  role: z.string().min(1).max(40),
  root: z.string().max(200).optional(),
  /** Sender's wall clock (ms): display only. */
  time: z.number().int().nonnegative(),
})
export type Heartbeat = z.infer<typeof heartbeatSchema>

const MAX_BYTES = 1024
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Encodes a heartbeat for the presence topic. */
export function encodeHeartbeat(type: Heartbeat['type'], info: PresenceInfo, time: number): Uint8Array {
  const body: Heartbeat = { v: PRESENCE_VERSION, type, ...info, time: Math.floor(time) }
  return encoder.encode(JSON.stringify(body))
}

/** Decodes a heartbeat; returns undefined for anything malformed (never throws). */
export function decodeHeartbeat(data: Uint8Array): Heartbeat | undefined {
  if (data.byteLength > MAX_BYTES) return undefined
  try {
    const parsed = heartbeatSchema.safeParse(JSON.parse(decoder.decode(data)))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
