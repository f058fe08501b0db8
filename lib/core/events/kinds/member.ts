/** `member.joined` and `member.left`. */
import { z } from 'zod'
import { shortText } from './common'
import { signedInviteSchema } from './invite'
import { memberKindSchema } from './room'

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
