/**
 * The room's invites as an operator sees them, for `chorus-mesh invite list|revoke` and the
 * admin API. The record is the log itself: an invite made here is announced with
 * `invite.issued` (signed by the relay, the room's owner), a revocation is `invite.revoked`,
 * and uses are the fold's count of redemptions — so the CLI, every admin's `/settings` and
 * every peer's admission agree on one list.
 */
import type { PayloadInput } from '../../core/events/kinds'
import type { InviteBody } from '../../core/events/kinds/invite'
import { asPeerId } from '../../core/ids'
import { selectInvites, type InviteView } from '../../core/state/select-invites'
import type { RoomState } from '../../core/state/types'

export type InviteStatus = 'active' | 'expired' | 'used_up' | 'revoked'

/** What an operator sees of one invite (never its signature: that is the capability). */
export interface InviteSummary {
  /** The invite's nonce: names it in `revoke`. */
  id: string
  role?: InviteBody['role']
  issuer: string
  issuedAt?: number
  expires?: number
  maxUses?: number
  uses: number
  usesLeft: number
  status: InviteStatus
  label?: string
}

export interface InviteBook {
  /** Records an invite just signed by the relay (`invite.issued`). */
  record(body: InviteBody, label?: string): Promise<void>
  list(): Promise<InviteSummary[]>
  /** Revokes the invite (`invite.revoked`); undefined when the room knows no such id. */
  revoke(id: string): Promise<InviteSummary | undefined>
}

export interface LogInviteBookInit {
  state: () => RoomState
  /** Signs and stores an event as the relay. */
  author<K extends 'invite.issued' | 'invite.revoked'>(kind: K, payload: PayloadInput<K>): Promise<unknown>
  now?: () => number
}

/** The book over the room's log. */
export function logInviteBook(init: LogInviteBookInit): InviteBook {
  const now = init.now ?? Date.now
  const find = (id: string) => selectInvites(init.state(), now()).find((v) => v.nonce === id)
  return {
    async record(body, label) {
      await init.author('invite.issued', { invite: body, ...(label ? { label } : {}) })
    },
    async list() {
      return selectInvites(init.state(), now()).map(summarize)
    },
    async revoke(id) {
      const known = find(id)
      if (known == null) return undefined
      if (!known.revoked) await init.author('invite.revoked', { issuer: asPeerId(known.issuer), nonce: known.nonce })
      return summarize(find(id) ?? known)
    },
  }
}

const STATUS: Record<InviteView['status'], InviteStatus> = { active: 'active', expired: 'expired', revoked: 'revoked', 'used up': 'used_up' }

function summarize(v: InviteView): InviteSummary {
  const status = STATUS[v.status]
  return {
    id: v.nonce,
    role: v.role,
    issuer: v.issuer,
    issuedAt: v.issuedAt,
    expires: v.expires,
    maxUses: v.maxUses,
    uses: v.used,
    usesLeft: status === 'active' ? (v.left ?? 0) : 0,
    status,
    ...(v.label ? { label: v.label } : {}),
  }
}
