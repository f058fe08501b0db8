/**
 * Same-origin view of the relay's `/api/room`, so the browser learns the relay's addresses at
 * run time (nothing about the relay is baked into the bundle).
 */
export const dynamic = 'force-dynamic'

export async function GET(): Promise<Response> {
  const relay = process.env.CHORUS_RELAY_HTTP ?? 'http://127.0.0.1:7781'
  try {
    const res = await fetch(new URL('/api/room', relay), { cache: 'no-store', signal: AbortSignal.timeout(3000) })
    return new Response(await res.text(), {
      status: res.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    })
  } catch (err) {
    return Response.json({ error: `relay unreachable at ${relay}: ${(err as Error).message}` }, { status: 502 })
  }
}
