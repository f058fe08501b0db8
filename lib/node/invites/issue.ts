/** Invites issued by a room's owner or an admin, as text for links and `--invite` flags. */
import { randomBytes } from 'node:crypto'
import { encodeInviteText } from '../../core/events/invite-link'
import type { InviteBody } from '../../core/events/kinds/invite'
import type { Signer } from '../../core/events/signer'
import { signInvite } from '../../core/events/verify'
import type { EventId, RoomId } from '../../core/ids'

export interface InviteOptions {
  role: InviteBody['role']
  /** @default 30 days */
  ttlMs?: number
  /** @default 25 */
  maxUses?: number
  /** The issuer's own `member.joined` id, required when an admin (not the owner) issues. */
  issuerJoin?: EventId
}

/** Signs a fresh invite and returns it as URL-safe text. */
export async function issueInvite(room: RoomId, issuer: Signer, o: InviteOptions): Promise<string> {
  return (await signFreshInvite(room, issuer, o)).text
}

/** Signs a fresh invite; returns its body (for the record) and its text (the capability). */
export async function signFreshInvite(room: RoomId, issuer: Signer, o: InviteOptions): Promise<{ body: InviteBody; text: string }> {
  const body: InviteBody = {
    room,
    role: o.role,
    expires: Date.now() + (o.ttlMs ?? 30 * 24 * 3600_000),
    maxUses: o.maxUses ?? 25,
    nonce: randomBytes(12).toString('base64url'),
    issuer: issuer.peerId,
    ...(o.issuerJoin != null ? { issuerJoin: o.issuerJoin } : {}),
  }
  return { body, text: encodeInviteText(await signInvite(body, issuer)) }
}

/** The browser link that redeems an invite (the fragment never reaches any server). */
export const joinLink = (webUrl: string, invite: string): string => `${webUrl.replace(/\/$/, '')}/join#invite=${invite}`
