/**
 * Invites (DESIGN §3): a capability `{room, role, expires, maxUses, nonce}` signed by an
 * owner or admin, redeemed by `member.joined`. An admin's invite names the admin's own
 * `member.joined` (`issuerJoin`) so that any peer can check the issuer's authority from
 * referenced events alone, whatever order events arrive in (ADR 0003).
 */
import { z } from 'zod'
import { eventIdSchema, peerIdSchema, signatureSchema } from './common'

export const INVITE_ROLES = ['admin', 'reviewer', 'agent', 'observer'] as const
export const inviteBodySchema = z.object({
  room: eventIdSchema,
  role: z.enum(INVITE_ROLES),
  /** Unix ms: the redeeming join's time must not be later, nor its first witness an hour later (ADR 0065). */
  expires: z.number().int().min(0),
  maxUses: z.number().int().min(1).max(10_000),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  issuer: peerIdSchema,
  issuerJoin: eventIdSchema.optional(),
})
export type InviteBody = z.infer<typeof inviteBodySchema>

export const signedInviteSchema = inviteBodySchema.extend({ sig: signatureSchema })
export type SignedInvite = z.infer<typeof signedInviteSchema>

/**
 * An issuer records an invite it made, without the signature: admins on any device can list
 * invites and their uses, and nobody can redeem one from the log (the capability is the
 * signature, which travels only in the link or token).
 */
export const inviteIssuedSchema = z.object({ invite: inviteBodySchema, label: z.string().max(200).optional() })
export type InviteIssued = z.infer<typeof inviteIssuedSchema>

/**
 * An invite stops admitting: a join redeeming it counts only if it is in this event's causal
 * past (ADR 0065). By the invite's issuer or the owner, or by an admin for a non-admin invite.
 */
export const inviteRevokedSchema = z.object({
  issuer: peerIdSchema,
  nonce: inviteBodySchema.shape.nonce,
  reason: z.string().max(500).optional(),
})
export type InviteRevoked = z.infer<typeof inviteRevokedSchema>
