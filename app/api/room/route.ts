/**
 * Same-origin view of the relay's `/api/room`, so the browser learns the relay's addresses at
 * run time (nothing about the relay is baked into the bundle). Keeps the relay URL's path
 * prefix and passes the relay's API token when one is set.
 */
import { roomInfoUrl } from '@/lib/net/room-info'

export const dynamic = 'force-dynamic'

export async function GET(): Promise<Response> {
  const relay = process.env.CHORUS_RELAY_HTTP ?? 'http://127.0.0.1:7781'
  const token = process.env.CHORUS_API_TOKEN
  try {
    const res = await fetch(roomInfoUrl(relay), {
      cache: 'no-store',
      signal: AbortSignal.timeout(3000),
      headers: token ? { authorization: `Bearer ${token}` } : undefined,
    })
    return new Response(await res.text(), {
      status: res.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    })
  } catch (err) {
    return Response.json({ error: `relay unreachable at ${relay}: ${(err as Error).message}` }, { status: 502 })
  }
}
