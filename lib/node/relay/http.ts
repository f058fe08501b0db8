/**
 * The relay's HTTP side (DESIGN §7): `/api/room` tells the app where the relay is (nothing is
 * hard-coded in the browser bundle), `/healthz` and `/readyz` for supervisors, `/metrics` for
 * Prometheus. Plain node:http: four read-only routes do not need a framework.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Registry } from 'prom-client'
import type { RoomInfo } from '../../net/room-info'


export interface RelayHttpInit {
  host: string
  port: number
  roomInfo: () => RoomInfo
  ready: () => boolean
  metrics: Registry
  /** Outcome records as NDJSON, for `GET /api/outcomes`. */
  outcomes?: () => string
}

/** Starts the HTTP server; resolves once it is listening. */
export async function startRelayHttp(init: RelayHttpInit): Promise<Server> {
  const server = createServer((req, res) => {
    void handle(init, req, res).catch((err: Error) => send(res, 500, { error: err.message }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(init.port, init.host, () => resolve())
  })
  return server
}

async function handle(init: RelayHttpInit, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://relay').pathname
  if (req.method === 'OPTIONS') return send(res, 204)
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' })
  switch (path) {
    case '/api/room':
      return send(res, 200, init.roomInfo())
    case '/healthz':
      return send(res, 200, { ok: true })
    case '/readyz':
      return init.ready() ? send(res, 200, { ready: true }) : send(res, 503, { ready: false })
    case '/api/outcomes': {
      if (!init.outcomes) return send(res, 404, { error: `no route ${path}` })
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
      res.end(init.outcomes())
      return
    }
    case '/metrics': {
      const body = await init.metrics.metrics()
      res.writeHead(200, { 'content-type': init.metrics.contentType })
      res.end(body)
      return
    }
    default:
      return send(res, 404, { error: `no route ${path}` })
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    // Public, read-only facts: a dev server on another port may fetch them directly.
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
  })
  res.end(body === undefined ? undefined : JSON.stringify(body))
}
