/**
 * The relay's book of the invites it issued, for `chorus-mesh invite list|revoke` and the
 * admin API. Uses are counted from the room's state (the fold counts redemptions per
 * `issuer/nonce`), so the book agrees with every peer on how many are left.
 *
 * The book is an interface so that its storage can move into the log: with `invite.issued`
 * and `invite.revoked` events every admin's device lists and revokes the same invites, and
 * peers refuse a revoked invite. Until those kinds exist, `MetaInviteBook` keeps the record
 * in the relay's store and a revocation is known to this relay only.
 */
import type { InviteBody } from '../../core/events/kinds/invite'
import type { RoomState } from '../../core/state/types'
import type { EventStore } from '../../storage/event-store'

export type InviteStatus = 'active' | 'expired' | 'used_up' | 'revoked'

/** What an operator sees of one invite (never its signature: that is the capability). */
export interface InviteSummary {
  /** The invite's nonce: names it in `revoke`. */
  id: string
  role: InviteBody['role']
  issuer: string
  issuedAt: number
  expires: number
  maxUses: number
  uses: number
  usesLeft: number
  status: InviteStatus
}

export interface InviteBook {
  /** Records an invite just signed. */
  record(body: InviteBody, issuedAt: number): Promise<void>
  list(): Promise<InviteSummary[]>
  /** Marks the invite revoked; undefined when the book has no such id. */
  revoke(id: string): Promise<InviteSummary | undefined>
}

interface Stored {
  body: InviteBody
  issuedAt: number
  revokedAt?: number
}

const KEY = 'invites'

/** The interim book: records in the relay's store metadata. */
export class MetaInviteBook implements InviteBook {
  constructor(
    private readonly store: EventStore,
    private readonly room: string,
    private readonly state: () => RoomState,
    private readonly now: () => number = Date.now,
  ) {}

  private async load(): Promise<Stored[]> {
    const raw = await this.store.getMeta(this.room, KEY)
    if (raw == null) return []
    return JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw)) as Stored[]
  }

  private async save(all: Stored[]): Promise<void> {
    await this.store.setMeta(this.room, KEY, JSON.stringify(all))
  }

  async record(body: InviteBody, issuedAt: number): Promise<void> {
    const all = await this.load()
    all.push({ body, issuedAt })
    await this.save(all)
  }

  async list(): Promise<InviteSummary[]> {
    return (await this.load()).map((s) => summarize(s, this.state(), this.now())).sort((a, b) => b.issuedAt - a.issuedAt)
  }

  async revoke(id: string): Promise<InviteSummary | undefined> {
    const all = await this.load()
    const s = all.find((x) => x.body.nonce === id)
    if (s == null) return undefined
    s.revokedAt ??= this.now()
    await this.save(all)
    return summarize(s, this.state(), this.now())
  }
}

function summarize(s: Stored, state: RoomState, now: number): InviteSummary {
  const uses = state.inviteUses.get(`${s.body.issuer}/${s.body.nonce}`) ?? 0
  const status: InviteStatus = s.revokedAt != null ? 'revoked' : uses >= s.body.maxUses ? 'used_up' : s.body.expires <= now ? 'expired' : 'active'
  return {
    id: s.body.nonce,
    role: s.body.role,
    issuer: s.body.issuer,
    issuedAt: s.issuedAt,
    expires: s.body.expires,
    maxUses: s.body.maxUses,
    uses,
    usesLeft: status === 'active' ? s.body.maxUses - uses : 0,
    status,
  }
}
