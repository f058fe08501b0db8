/**
 * `chorus-mesh invite`: make, list and revoke the room's invites through the running relay's
 * admin API. On the relay's host the admin token is read from the data directory; elsewhere
 * pass `--admin-token` (or CHORUS_ADMIN_TOKEN) and `--relay`.
 */
import type { Command } from 'commander'
import { INVITE_ROLES } from '../../core/events/kinds/invite'
import { defaultRelayUrl, defaults, setting } from '../config'
import { readAdminToken } from './admin-token'
import type { InviteSummary } from './book'

/** Parses `7d`, `12h`, `30m`, `45s` (or plain milliseconds) into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)?$/.exec(text.trim())
  if (m == null) throw new Error(`--expires ${text}: expected e.g. 7d, 12h, 30m`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[(m[2] ?? 'ms') as 'ms']
  const ms = Number(m[1]) * unit
  if (ms <= 0) throw new Error(`--expires ${text}: must be longer than nothing`)
  return ms
}

interface Common {
  relay: string
  data: string
  adminToken?: string
}

/** Registers `invite`, `invite list` and `invite revoke`. */
export function registerInviteCommand(program: Command): void {
  const common = (c: Command) =>
    c
      .option('--relay <url>', "relay's HTTP URL (with its path prefix behind a proxy)", defaultRelayUrl())
      .option('--data <dir>', "relay's data directory (its admin token is read from there)", defaults.dataDir)
      .option('--admin-token <token>', "the relay's admin token, when not on the relay's host (or CHORUS_ADMIN_TOKEN)")
      .option('--json', 'print JSON')
  const invite = program.command('invite').description("make, list or revoke invites (on the relay's host, or with its admin token)")
  common(invite.command('create', { isDefault: true }).description('make an invite (the default: chorus-mesh invite --role agent)'))
    .requiredOption('--role <role>', `role it grants: ${INVITE_ROLES.join(' | ')}`)
    .option('--expires <duration>', 'valid for this long (e.g. 7d, 12h)', '7d')
    .option('--uses <n>', 'how many may join with it', '1')
    .action(async (o) => {
      if (!(INVITE_ROLES as readonly string[]).includes(o.role)) throw new Error(`--role ${o.role}: expected one of ${INVITE_ROLES.join(', ')}`)
      const maxUses = Number(o.uses)
      if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 10_000) throw new Error(`--uses ${o.uses}: expected 1…10000`)
      const r = (await call(o, 'POST', 'api/admin/invites', { role: o.role, ttlMs: parseDuration(o.expires), maxUses })) as { id: string; invite: string; link?: string }
      if (o.json) return console.log(JSON.stringify(r))
      console.log(`${o.role} invite ${r.id} (${maxUses} use${maxUses === 1 ? '' : 's'}, expires in ${o.expires}):`)
      console.log(`  ${r.invite}`)
      if (r.link) console.log(`  link: ${r.link}`)
      else if (o.role === 'agent') console.log(`  chorus-mesh agent --name NAME --relay ${o.relay} --invite ${r.invite}`)
    })
  common(invite.command('list').description("the room's invites (made here or by an admin in /settings), with uses left and status"))
    .action(async (o) => {
      const { invites } = (await call(o, 'GET', 'api/admin/invites')) as { invites: InviteSummary[] }
      if (o.json) return console.log(JSON.stringify(invites))
      if (invites.length === 0) return console.log('the room knows no invites yet')
      console.log(['id'.padEnd(18), 'role'.padEnd(9), 'uses'.padEnd(9), 'status'.padEnd(9), 'expires'].join(' '))
      for (const i of invites) {
        console.log([i.id.padEnd(18), (i.role ?? '?').padEnd(9), `${i.uses}/${i.maxUses ?? '?'}`.padEnd(9), i.status.padEnd(9), i.expires != null ? new Date(i.expires).toISOString() : '?'].join(' '))
      }
    })
  common(invite.command('revoke').description('revoke an invite by its id (see invite list)').argument('[id]'))
    .option('--id <id>', "the invite's id, for one that begins with '-' (an option, as an argument)")
    .action(async (arg: string | undefined, o) => {
      const id = o.id ?? arg
      if (id == null || (o.id != null && arg != null && arg !== o.id)) throw new Error('invite revoke: give one invite id (see invite list), or --id <id>')
      const r = (await call(o, 'POST', 'api/admin/invites/revoke', { id })) as InviteSummary
      if (o.json) return console.log(JSON.stringify(r))
      console.log(`revoked ${r.role ?? ''} invite ${r.id} (${r.uses}/${r.maxUses ?? '?'} used)`)
    })
}

async function call(o: Common, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = o.adminToken ?? setting('CHORUS_ADMIN_TOKEN') ?? readAdminToken(o.data)
  if (token == null) throw new Error(`no admin token: run this on the relay's host with --data <its data dir>, or pass --admin-token`)
  const base = new URL(o.relay)
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  const url = new URL(path, base)
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    })
  } catch (err) {
    throw new Error(`cannot reach the relay at ${url}: ${(err as Error).message} (is it running? --relay)`)
  }
  const json = (await res.json().catch(() => ({}))) as { error?: string }
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${json.error ?? res.statusText}`)
  return json
}
