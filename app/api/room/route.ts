/**
 * Same-origin view of the relay's `/api/room`, so the browser learns the relay's addresses at
 * run time (nothing about the relay is baked into the bundle). Keeps the relay URL's path
 * prefix and passes the relay's API token when one is set. CHORUS_RELAY_HTTP may name several
 * relays of the room (comma-separated): the first that answers is passed on, so the app keeps
 * working while any one relay is down.
 */
import { roomInfoUrl } from '@/lib/net/room-info'

export const dynamic = 'force-dynamic'

export async function GET(): Promise<Response> {
  const relays = (process.env.CHORUS_RELAY_HTTP ?? 'http://127.0.0.1:7781').split(',').map((s) => s.trim()).filter(Boolean)
  const token = process.env.CHORUS_API_TOKEN
  const failures: string[] = []
  for (const [i, relay] of relays.entries()) {
    try {
      const res = await fetch(roomInfoUrl(relay), {
        cache: 'no-store',
        signal: AbortSignal.timeout(3000),
        headers: token ? { authorization: `Bearer ${token}` } : undefined,
      })
      // An error status from one relay while others remain: ask the next.
      if (!res.ok && i < relays.length - 1) throw new Error(`HTTP ${res.status}`)
      return new Response(await res.text(), {
        status: res.status,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      })
    } catch (err) {
      failures.push(`${relay}: ${(err as Error).message}`)
    }
  }
  return Response.json({ error: `relay unreachable at ${failures.join('; ')}` }, { status: 502 })
}
