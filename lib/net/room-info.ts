/** What a relay says about its room at `/api/room`: the app and agents find the mesh through it. */
import { z } from 'zod'
import { relayRecordSchema } from './relays/record'

/** One STUN or TURN server, as `RTCPeerConnection` takes it. */
export const iceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
})
export type IceServer = z.infer<typeof iceServerSchema>

export const roomInfoSchema = z.object({
  room: z.string().min(1),
  name: z.string(),
  /** An open room admits anyone as a reviewer without an invite. */
  open: z.boolean(),
  relay: z.object({ peerId: z.string().min(1), addrs: z.array(z.string()) }),
  presenceIntervalMs: z.number().int().positive(),
  /** Events the relay holds (a newcomer can tell how much it has to catch up). */
  events: z.number().int().nonnegative(),
  /** STUN/TURN servers for WebRTC between tabs on different networks (absent: host candidates only). */
  iceServers: z.array(iceServerSchema).optional(),
  /** The sync summary's Merkle root of the relay's replica: equal roots, equal event sets. */
  root: z.string().optional(),
  /** Every relay of the room this relay knows (itself first): the bootstrap list peers cache. */
  relays: z.array(relayRecordSchema).max(64).optional(),
})
export type RoomInfo = z.infer<typeof roomInfoSchema>

/**
 * `<base>/api/room`, keeping a path prefix in `base` (`https://host/relay` →
 * `https://host/relay/api/room`): a relay behind a reverse proxy lives under one.
 */
export function roomInfoUrl(base: string): string {
  const u = new URL(base)
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return new URL('api/room', u).toString()
}

export interface FetchRoomInfoOptions {
  /** Sent as `Authorization: Bearer …` (a relay with an API token). */
  token?: string
}

/** GET `<base>/api/room`; throws an error naming the URL when it is unreachable or not room info. */
export async function fetchRoomInfo(base: string, timeoutMs = 5000, opts: FetchRoomInfoOptions = {}): Promise<RoomInfo> {
  const url = roomInfoUrl(base)
  let res: Response
  try {
    res = await fetch(url, {
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : undefined,
    })
  } catch (err) {
    throw new Error(`cannot reach the relay at ${url}: ${(err as Error).message}`)
  }
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`)
  const parsed = roomInfoSchema.safeParse(await res.json().catch(() => null))
  if (!parsed.success) throw new Error(`${url} did not return room info: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`)
  return parsed.data
}
