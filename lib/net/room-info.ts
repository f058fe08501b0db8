/** What a relay says about its room at `/api/room`: the app and agents find the mesh through it. */
import { z } from 'zod'

export const roomInfoSchema = z.object({
  room: z.string().min(1),
  name: z.string(),
  /** An open room admits anyone as a reviewer without an invite. */
  open: z.boolean(),
  relay: z.object({ peerId: z.string().min(1), addrs: z.array(z.string()) }),
  presenceIntervalMs: z.number().int().positive(),
  /** Events the relay holds (a newcomer can tell how much it has to catch up). */
  events: z.number().int().nonnegative(),
})
export type RoomInfo = z.infer<typeof roomInfoSchema>

/** GET `<base>/api/room`; throws an error naming the URL when it is unreachable or not room info. */
export async function fetchRoomInfo(base: string, timeoutMs = 5000): Promise<RoomInfo> {
  const url = new URL('/api/room', base).toString()
  let res: Response
  try {
    res = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    throw new Error(`cannot reach the relay at ${url}: ${(err as Error).message}`)
  }
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`)
  const parsed = roomInfoSchema.safeParse(await res.json().catch(() => null))
  if (!parsed.success) throw new Error(`${url} did not return room info: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`)
  return parsed.data
}
