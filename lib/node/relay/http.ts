/**
 * The relay's HTTP side (DESIGN §7): a small router on node:http (or node:https when the relay
 * holds a certificate) with the two rules every route shares — browsers may call it only from
 * the configured origins (CORS), and with an API token set, `/api/*` and `/metrics` want it as
 * a bearer token. `/healthz` and `/readyz` stay open for supervisors and load balancers.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'

/** One route: answers a request whose path matched. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void

export interface RelayHttpInit {
  host: string
  port: number
  tls?: { cert: Buffer; key: Buffer }
  /** Routes by exact path. */
  routes: Record<string, RouteHandler>
  /** Origins whose pages may call the API from a browser; `*` allows any. Empty: same origin only. */
  corsOrigins: string[]
  /** Bearer token required by `/api/*` and `/metrics` when set. */
  apiToken?: string
}

/** Paths that stay open whatever the token: supervisors probe them. */
const OPEN_PATHS = new Set(['/healthz', '/readyz'])

/** Starts the HTTP server; resolves once it is listening. */
export async function startRelayHttp(init: RelayHttpInit): Promise<Server> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void handle(init, req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: err.message })
      else res.destroy(err)
    })
  }
  const server = init.tls ? createTlsServer({ cert: init.tls.cert, key: init.tls.key }, handler) : createServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(init.port, init.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return server
}

async function handle(init: RelayHttpInit, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://relay')
  cors(init, req, res)
  if (req.method === 'OPTIONS') return sendJson(res, 204)
  const route = init.routes[url.pathname]
  if (route == null) return sendJson(res, 404, { error: `no route ${url.pathname}` })
  // The admin API checks its own (stronger) token.
  if (init.apiToken && !OPEN_PATHS.has(url.pathname) && !url.pathname.startsWith('/api/admin/') && !bearerMatches(req, init.apiToken)) {
    res.setHeader('www-authenticate', 'Bearer realm="chorus-mesh"')
    return sendJson(res, 401, { error: 'this relay wants its API token (Authorization: Bearer …)' })
  }
  await route(req, res, url)
}

/** Sets the CORS headers for an allowed origin; other origins get none, so browsers refuse. */
function cors(init: RelayHttpInit, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin
  if (origin == null) return
  const any = init.corsOrigins.includes('*')
  if (!any && !init.corsOrigins.includes(origin)) return
  res.setHeader('access-control-allow-origin', any ? '*' : origin)
  res.setHeader('vary', 'Origin')
  res.setHeader('access-control-allow-headers', 'authorization, content-type')
  res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, DELETE, OPTIONS')
}

/** Constant-time comparison of the request's bearer token with `token`. */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (m == null) return false
  const a = Buffer.from(m[1])
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Sends a JSON body (or none) with no caching. */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  res.statusCode = status
  res.setHeader('content-type', 'application/json')
  res.setHeader('cache-control', 'no-store')
  res.end(body === undefined ? undefined : JSON.stringify(body))
}

/** Only GET and HEAD: answers 405 otherwise and returns false. */
export function readOnly(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true
  sendJson(res, 405, { error: 'method not allowed' })
  return false
}
