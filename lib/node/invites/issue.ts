/** Invites issued by a room's owner or an admin, as text for links and `--invite` flags. */
import type { Signer } from '../../core/events/signer'
import type { RoomId } from '../../core/ids'
import { signNewInvite, type NewInvite } from '../../net/invites'

export type InviteOptions = NewInvite

/** Signs a fresh invite and returns it as URL-safe text. */
export async function issueInvite(room: RoomId, issuer: Signer, o: InviteOptions): Promise<string> {
  return (await signNewInvite(room, issuer, o)).text
}

/** Signs a fresh invite; returns its body (for the record) and its text (the capability). */
export const signFreshInvite = (room: RoomId, issuer: Signer, o: InviteOptions) => signNewInvite(room, issuer, o)

/** The browser link that redeems an invite (the fragment never reaches any server). */
export const joinLink = (webUrl: string, invite: string): string => `${webUrl.replace(/\/$/, '')}/join#invite=${invite}`
