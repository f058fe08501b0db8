/** The invites a room knows of, for the admins' invite list and `chorus-mesh invite list`. */
import type { InviteState, RoomState } from './types'

export interface InviteView extends InviteState {
  /** Redemptions that counted (in fold order, up to `maxUses`). */
  used: number
  /** Uses left, if the invite's limit is known. */
  left?: number
  /** `now` is past its expiry. */
  expired: boolean
  status: 'active' | 'revoked' | 'expired' | 'used up'
}

/** Every known invite, newest first (by issue time, then expiry). */
export function selectInvites(s: RoomState, now: number): InviteView[] {
  const out: InviteView[] = []
  for (const [key, inv] of s.invites) {
    const used = s.inviteUses.get(key) ?? 0
    const left = inv.maxUses === undefined ? undefined : Math.max(0, inv.maxUses - used)
    const expired = inv.expires !== undefined && now > inv.expires
    const status = inv.revoked ? 'revoked' : expired ? 'expired' : left === 0 ? 'used up' : 'active'
    out.push({ ...inv, used, ...(left === undefined ? {} : { left }), expired, status })
  }
  return out.sort((a, b) => (b.issuedAt ?? 0) - (a.issuedAt ?? 0) || (b.expires ?? 0) - (a.expires ?? 0) || (a.nonce < b.nonce ? -1 : 1))
}
