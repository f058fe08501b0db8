/**
 * The HTTP + SSE gateway (ADR 0084): the agent operations over HTTP for agents in any
 * language. It only translates: `POST /v1/<name>` parses the body with the operation's schema
 * and calls it; `GET /events` streams the activity journal as Server-Sent Events;
 * `GET /openapi.json` describes both. Every route but the document and `/healthz` needs the
 * bearer token.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { operation } from '../ops/catalogue'
import { OpsError, type OpsErrorReason } from '../ops/errors'
import type { AgentOps } from '../ops/ops'
import { openApiDocument } from './openapi'

export interface GatewayOptions {
  /** Resolves once the agent has joined (requests wait for it). */
  ops: () => Promise<AgentOps>
  host: string
  port: number
  token: string
  /** Interval of SSE keep-alive comments. @default 15000 */
  keepAliveMs?: number
}

export interface Gateway {
  server: Server
  url: string
  stop(): Promise<void>
}

const STATUS: Record<OpsErrorReason, number> = { invalid: 400, not_found: 404, not_yours: 403, not_participant: 403, conflict: 409 }
const MAX_BODY = 256 * 1024

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body))
}
const fail = (res: ServerResponse, status: number, reason: string, message: string) => send(res, status, { error: { reason, message } })

/** Constant-time comparison of the presented bearer token. */
function authorized(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')
  if (!m) return false
  const [a, b] = [Buffer.from(m[1].trim()), Buffer.from(token)]
  return a.length === b.length && timingSafeEqual(a, b)
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) throw new OpsError('invalid', `the body is larger than ${MAX_BODY} bytes`)
    chunks.push(c as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new OpsError('invalid', `the body is not JSON: ${(e as Error).message}`)
  }
}

async function call(name: string, req: IncomingMessage, res: ServerResponse, opts: GatewayOptions): Promise<void> {
  const op = operation(name)
  if (!op) return fail(res, 404, 'not_found', `no operation ${name} (GET /openapi.json lists them)`)
  const parsed = op.input.safeParse(await readJson(req))
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    return fail(res, 400, 'invalid', issues.join('; '))
  }
  const aborted = new AbortController()
  res.on('close', () => aborted.abort())
  send(res, 200, await op.run(await opts.ops(), parsed.data as never, aborted.signal))
}

async function events(req: IncomingMessage, res: ServerResponse, url: URL, opts: GatewayOptions): Promise<void> {
  const ops = await opts.ops()
  const fromHeader = Number(req.headers['last-event-id'])
  const fromQuery = Number(url.searchParams.get('since'))
  let cursor = Number.isInteger(fromHeader) && fromHeader >= 0 ? fromHeader : Number.isInteger(fromQuery) && fromQuery >= 0 ? fromQuery : 0
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
  res.write(': chorus-mesh activity\n\n')
  const flush = () => {
    for (const a of ops.journal.after(cursor)) {
      res.write(`id: ${a.seq}\nevent: ${a.type}\ndata: ${JSON.stringify(a)}\n\n`)
      cursor = a.seq
    }
  }
  flush()
  const off = ops.journal.listen(flush)
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), opts.keepAliveMs ?? 15_000)
  res.on('close', () => {
    off()
    clearInterval(keepAlive)
  })
}

/** Starts the gateway; resolves once it listens. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  let joined = false
  opts.ops().then(() => (joined = true), () => {})
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway')
    const route = `${req.method} ${url.pathname}`
    const handle = async () => {
      if (route === 'GET /openapi.json') return send(res, 200, openApiDocument(`http://${req.headers.host ?? 'localhost'}`))
      if (route === 'GET /healthz') return send(res, 200, { ok: true, joined })
      if (!authorized(req, opts.token)) {
        res.setHeader('www-authenticate', 'Bearer')
        return fail(res, 401, 'unauthorized', 'send Authorization: Bearer <token> (printed when the gateway started)')
      }
      if (route === 'GET /events') return events(req, res, url, opts)
      const m = /^POST \/v1\/([a-z_]+)$/.exec(route)
      if (m) return call(m[1], req, res, opts)
      return fail(res, 404, 'not_found', `no route ${route} (GET /openapi.json lists them)`)
    }
    handle().catch((err) => {
      if (res.headersSent) return void res.end()
      if (err instanceof OpsError) return fail(res, STATUS[err.reason], err.reason, err.message)
      fail(res, 500, 'failed', (err as Error).message)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host
  return {
    server,
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
