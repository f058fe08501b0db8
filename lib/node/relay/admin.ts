/**
 * The relay's admin API, for `chorus-mesh invite` on the relay's host or with the admin token:
 * issue an invite (the owner signs it), list the book, revoke one. Every route wants the admin
 * token; the invite text appears only in the response to the request that made it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { INVITE_ROLES } from '../../core/events/kinds/invite'
import type { InviteBook } from '../invites/book'
import type { InviteOptions } from '../invites'
import type { Logger } from '../log'
import { bearerMatches, sendJson, type RouteHandler } from './http'

export interface AdminRoutesInit {
  adminToken: string
  book: InviteBook
  /** Signs and records an invite; returns its id and text. */
  issue(o: InviteOptions): Promise<{ id: string; text: string }>
  /** Where people open the app, for join links. */
  publicUrl?: string
  log: Logger
}

const issueSchema = z.object({
  role: z.enum(INVITE_ROLES),
  ttlMs: z.number().int().positive().max(366 * 24 * 3600_000).optional(),
  maxUses: z.number().int().min(1).max(10_000).optional(),
})

/** The admin routes, by path. */
export function adminRoutes(init: AdminRoutesInit): Record<string, RouteHandler> {
  const guard = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RouteHandler => async (req, res) => {
    if (!bearerMatches(req, init.adminToken)) {
      init.log.warn('admin_refused', { path: req.url, from: req.socket.remoteAddress })
      return sendJson(res, 401, { error: "this needs the relay's admin token (Authorization: Bearer …; it is in <data>/admin.token)" })
    }
    await handler(req, res)
  }
  return {
    '/api/admin/invites': guard(async (req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, { invites: await init.book.list() })
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' })
      const parsed = issueSchema.safeParse(await readJson(req))
      if (!parsed.success) return sendJson(res, 400, { error: `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}` })
      const issued = await init.issue(parsed.data)
      init.log.info('invite_issued', { id: issued.id, role: parsed.data.role, maxUses: parsed.data.maxUses, ttlMs: parsed.data.ttlMs })
      const link = init.publicUrl ? `${init.publicUrl.replace(/\/+$/, '')}/join#invite=${issued.text}` : undefined
      sendJson(res, 201, { id: issued.id, invite: issued.text, ...(link ? { link } : {}) })
    }),
    '/api/admin/invites/revoke': guard(async (req, res) => {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' })
      const parsed = z.object({ id: z.string().min(1).max(64) }).safeParse(await readJson(req))
      if (!parsed.success) return sendJson(res, 400, { error: 'expected {"id": "<invite id>"}' })
      const revoked = await init.book.revoke(parsed.data.id)
      if (revoked == null) return sendJson(res, 404, { error: `no invite ${parsed.data.id}` })
      init.log.info('invite_revoked', { id: revoked.id, role: revoked.role })
      sendJson(res, 200, revoked)
    }),
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > 16 * 1024) return null
    chunks.push(c as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return null
  }
}
