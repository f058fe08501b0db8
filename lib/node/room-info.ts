/** Fetches and validates a relay's `/api/room` (used by agents and the CLI). */
import { z } from 'zod'
import type { RoomInfo } from './relay/http'

const roomInfoSchema = z.object({
  room: z.string().min(1),
  name: z.string(),
  relay: z.object({ peerId: z.string().min(1), addrs: z.array(z.string()) }),
  presenceIntervalMs: z.number().int().positive(),
})

/** GET `<relayUrl>/api/room`; throws an error that names the URL when it is unreachable or wrong. */
export async function fetchRoomInfo(relayUrl: string, timeoutMs = 5000): Promise<RoomInfo> {
  const url = new URL('/api/room', relayUrl).toString()
  let res: Response
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    throw new Error(`cannot reach the relay at ${url}: ${(err as Error).message}`)
  }
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`)
  const parsed = roomInfoSchema.safeParse(await res.json())
  if (!parsed.success) throw new Error(`${url} did not return room info: ${parsed.error.issues[0]?.message}`)
  return parsed.data
}
