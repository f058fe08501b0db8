/** `member.joined`, `member.left`, `member.revoked` and `member.renamed`. */
import { z } from 'zod'
import { peerIdSchema, shortText } from './common'
import { signedInviteSchema } from './invite'
import { memberKindSchema } from './room'

/**
 * A key redeems an invite (or joins an open room as a reviewer). Admission checks the invite's
 * signature, room, role and stated expiry against the join's own time; whether the join still
 * admits is decided on the whole set — the issuer's standing, invite revocations and the join's
 * first witness (ADR 0065).
 */
export const memberJoinedSchema = z.object({
  displayName: shortText,
  kind: memberKindSchema,
  /** e.g. `planner`: may write plans as a session's primary. */
  capabilities: z.array(shortText).max(20),
  /** Absent only when joining an open room (as a reviewer). */
  invite: signedInviteSchema.optional(),
})
export type MemberJoined = z.infer<typeof memberJoinedSchema>

export const memberLeftSchema = z.object({ reason: z.string().max(500).optional() })
export type MemberLeft = z.infer<typeof memberLeftSchema>

/**
 * An owner or admin removes a member for good: of the member's events only those in this
 * event's causal past count, whatever clocks they carry, and its key never holds a role in
 * the room again (ADR 0065). Only the owner may revoke an admin; nobody can revoke the owner.
 */
export const memberRevokedSchema = z.object({ member: peerIdSchema, reason: z.string().max(500).optional() })
export type MemberRevoked = z.infer<typeof memberRevokedSchema>

/** A member changes its display name; the member list and history show the latest one. */
export const memberRenamedSchema = z.object({ displayName: shortText })
export type MemberRenamed = z.infer<typeof memberRenamedSchema>
