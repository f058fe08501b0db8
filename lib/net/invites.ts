/**
 * Making an invite and recording it in the room, the same way in a tab (an admin in
 * `/settings`) and on the relay (`chorus-mesh invite`): the issuer signs the capability, and
 * `invite.issued` records it without the signature, so every admin's device lists it and
 * `invite.revoked` takes it back for every peer.
 */
import { encodeInviteText } from '../core/events/invite-link'
import type { InviteBody } from '../core/events/kinds/invite'
import type { Signer } from '../core/events/signer'
import { signInvite } from '../core/events/verify'
import { asPeerId, type EventId, type RoomId } from '../core/ids'
import type { RoomState } from '../core/state/types'

export interface NewInvite {
  role: InviteBody['role']
  /** @default 30 days */
  ttlMs?: number
  /** @default 25 */
  maxUses?: number
  /** The issuer's own `member.joined` id, required when an admin (not the owner) issues. */
  issuerJoin?: EventId
}

/**
 * An invite's nonce from random bytes, base64url. It is the invite's id on the command line
 * (`chorus-mesh invite revoke <id>`), where a leading `-` reads as an option, so a leading `-`
 * becomes `_` (nothing decodes the nonce back to bytes, and it loses a thirtieth of a bit).
 */
export function nonceText(bytes: Uint8Array): string {
  const text = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return text.startsWith('-') ? `_${text.slice(1)}` : text
}

/** A random nonce (Web Crypto: the same in a tab and in Node). */
const nonce = (): string => nonceText(crypto.getRandomValues(new Uint8Array(12)))

/** Signs a fresh invite; returns its body (what the log records) and its text (the capability). */
export async function signNewInvite(room: RoomId, issuer: Signer, o: NewInvite, now = Date.now()): Promise<{ body: InviteBody; text: string }> {
  const body: InviteBody = {
    room,
    role: o.role,
    expires: now + (o.ttlMs ?? 30 * 24 * 3600_000),
    maxUses: o.maxUses ?? 25,
    nonce: nonce(),
    issuer: issuer.peerId,
    ...(o.issuerJoin != null ? { issuerJoin: o.issuerJoin } : {}),
  }
  return { body, text: encodeInviteText(await signInvite(body, issuer)) }
}

/** The `issuerJoin` an invite by `peerId` must carry: its join, unless it is the owner. */
export function issuerJoinOf(state: RoomState, peerId: string): EventId | undefined {
  if (state.owner === peerId) return undefined
  return state.members.get(asPeerId(peerId))?.joinEvent
}

/**
 * Whether `actor` may revoke an invite (the fold's rule): its issuer or the owner always, an
 * admin any invite that is not another admin's admin invite.
 */
export function mayRevokeInvite(state: RoomState, actor: string, invite: { issuer: string; role?: string }): boolean {
  if (actor === state.owner || actor === invite.issuer) return true
  const role = state.members.get(asPeerId(actor))?.role
  return role === 'admin' && invite.role !== 'admin'
}
