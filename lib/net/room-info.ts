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

/**
 * Why `/api/room` gave no room info. `transient` when asking again later may get an answer: the
 * request timed out, the connection was reset, or the relay (or a proxy before it) said to come
 * back later (408, 429, 502, 503, 504). Anything else — a refusal such as a missing token, or an
 * answer that is not room info — gets the same answer again.
 */
export class RoomInfoError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'RoomInfoError'
  }
}

/** Statuses that say "not now" rather than "no". */
const LATER_STATUSES = new Set([408, 429, 502, 503, 504])
/**
 * Socket errors of a connection that was made and then dropped, that a busy peer never accepted
 * in time, that nothing accepted yet (a relay starting or restarting) or whose name did not
 * resolve for now.
 */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** True for a fetch failure that asking again may cure: a time-out, a dropped or refused connection. */
export function isTransientFetchError(err: unknown): boolean {
  const e = err as { name?: string; cause?: { code?: string } } | null
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return true
  return DROPPED_CODES.has(e?.cause?.code ?? '')
}

/** The `error` a relay puts in a refusal's JSON body, if any. */
async function reasonOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: unknown } | null
  return typeof body?.error === 'string' ? `: ${body.error}` : ''
}

/** GET `<base>/api/room`; throws a RoomInfoError naming the URL when it is unreachable or not room info. */
export async function fetchRoomInfo(base: string, timeoutMs = 5000, opts: FetchRoomInfoOptions = {}): Promise<RoomInfo> {
  const url = roomInfoUrl(base)
  let res: Response
  let body: unknown
  try {
    res = await fetch(url, {
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : undefined,
    })
    if (!res.ok) throw new RoomInfoError(`${url} answered HTTP ${res.status}${await reasonOf(res)}`, LATER_STATUSES.has(res.status), res.status)
    // The time-out covers the body too: a relay that stalls mid-answer is unreachable, not wrong.
    body = await res.json().catch((err: Error) => {
      if (isTransientFetchError(err)) throw err
      return null
    })
  } catch (err) {
    if (err instanceof RoomInfoError) throw err
    const cause = (err as { cause?: { message?: string; code?: string } }).cause
    const detail = cause?.message ?? cause?.code
    throw new RoomInfoError(`cannot reach the relay at ${url}: ${(err as Error).message}${detail ? ` (${detail})` : ''}`, isTransientFetchError(err))
  }
  const parsed = roomInfoSchema.safeParse(body)
  if (!parsed.success) throw new RoomInfoError(`${url} did not return room info: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, false, res.status)
  return parsed.data
}
