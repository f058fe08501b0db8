/** The relay's read-only routes: room info, health, readiness, outcomes and metrics. */
import type { Registry } from 'prom-client'
import type { Outcome } from '../../core/state/selectors'
import type { RoomInfo } from '../../net/room-info'
import { readOnly, sendJson, type RouteHandler } from './http'

export interface RelayRoutesInit {
  roomInfo: () => RoomInfo
  /** False while starting and while draining before shutdown. */
  ready: () => boolean
  metrics: Registry
  outcomes: () => Outcome[]
}

/** Largest page of `/api/outcomes`. */
export const OUTCOMES_MAX_LIMIT = 1000

/** The routes, by path. */
export function relayRoutes(init: RelayRoutesInit): Record<string, RouteHandler> {
  return {
    '/api/room': (req, res) => {
      if (readOnly(req, res)) sendJson(res, 200, init.roomInfo())
    },
    '/healthz': (req, res) => {
      if (readOnly(req, res)) sendJson(res, 200, { ok: true })
    },
    '/readyz': (req, res) => {
      if (readOnly(req, res)) sendJson(res, init.ready() ? 200 : 503, { ready: init.ready() })
    },
    '/api/outcomes': (req, res, url) => {
      if (!readOnly(req, res)) return
      const page = outcomesPage(init.outcomes(), url.searchParams)
      if (typeof page === 'string') return sendJson(res, 400, { error: page })
      res.statusCode = 200
      res.setHeader('content-type', 'application/x-ndjson')
      res.setHeader('cache-control', 'no-store')
      if (page.next != null) {
        res.setHeader('x-next-cursor', page.next)
        res.setHeader('link', `<?limit=${page.limit}&after=${encodeURIComponent(page.next)}>; rel="next"`)
      }
      res.end(page.items.map((o) => JSON.stringify(o) + '\n').join(''))
    },
    '/metrics': async (req, res) => {
      if (!readOnly(req, res)) return
      const body = await init.metrics.metrics()
      res.statusCode = 200
      res.setHeader('content-type', init.metrics.contentType)
      res.end(body)
    },
  }
}

/** Where a page of outcomes ends: the last record's end time and session id. */
const cursorOf = (o: Outcome) => `${o.endedAt}:${o.session}`

/**
 * One page of outcomes in a stable order (end time, then session id): `limit` records after
 * the `after` cursor, and the cursor of the next page when there is one. Returns an error
 * message for a bad query.
 */
export function outcomesPage(all: Outcome[], q: URLSearchParams): { items: Outcome[]; next?: string; limit: number } | string {
  const limitRaw = q.get('limit')
  const limit = limitRaw == null ? OUTCOMES_MAX_LIMIT : Number(limitRaw)
  if (!Number.isInteger(limit) || limit < 1 || limit > OUTCOMES_MAX_LIMIT) return `limit ${limitRaw}: expected 1…${OUTCOMES_MAX_LIMIT}`
  const after = q.get('after')
  let afterTime = -Infinity
  let afterSession = ''
  if (after != null) {
    const m = /^(\d+):(.+)$/.exec(after)
    if (m == null) return `after ${after}: expected the x-next-cursor of the previous page`
    afterTime = Number(m[1])
    afterSession = m[2]
  }
  const sorted = [...all].sort((a, b) => a.endedAt - b.endedAt || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0))
  const rest = sorted.filter((o) => o.endedAt > afterTime || (o.endedAt === afterTime && o.session > afterSession))
  const items = rest.slice(0, limit)
  return { items, limit, ...(rest.length > limit ? { next: cursorOf(items[items.length - 1]) } : {}) }
}
