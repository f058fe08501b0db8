/** `room.created` (genesis) and `room.configured`, and the room configuration they carry. */
import { z } from 'zod'
import { shortText } from './common'

/** Per-room thresholds (DESIGN §2). */
const configShape = {
  /** More than this many messages in an active session escalates it. */
  escalationThreshold: z.number().int().min(1).max(500),
  /** An active session older than this escalates. */
  maxSessionDurationMs: z.number().int().min(1_000).max(7 * 24 * 3600_000),
  maxParticipants: z.number().int().min(2).max(50),
  /** Related tasks within this many dependency hops are attached to a session as context. */
  coordinationHops: z.number().int().min(0).max(10),
  /** Reviewers needed for `plan.approved`: a count, or ⌊2n/3⌋+1 of the room's n reviewers. */
  approvalQuorum: z.union([z.number().int().min(1).max(100), z.literal('two-thirds')]),
  /** A settled session with no activity for this long is closed. */
  inactivityTimeoutMs: z.number().int().min(1_000).max(30 * 24 * 3600_000),
}
export const roomConfigPatchSchema = z.object(configShape).partial()
export type RoomConfigPatch = z.infer<typeof roomConfigPatchSchema>
export type RoomConfig = Required<RoomConfigPatch>

export const DEFAULT_ROOM_CONFIG: RoomConfig = Object.freeze({
  escalationThreshold: 10,
  maxSessionDurationMs: 30 * 60_000,
  maxParticipants: 5,
  coordinationHops: 3,
  approvalQuorum: 1,
  inactivityTimeoutMs: 10 * 60_000,
})

export const memberKindSchema = z.enum(['human', 'agent'])

export const roomCreatedSchema = z.object({
  name: shortText,
  /**
   * An open room admits anyone as a reviewer without an invite. Fixed at genesis (not
   * configurable later) so that admission never depends on the order of config events.
   */
  open: z.boolean(),
  config: roomConfigPatchSchema,
  owner: z.object({ displayName: shortText, kind: memberKindSchema, capabilities: z.array(shortText).max(20) }),
})
export type RoomCreated = z.infer<typeof roomCreatedSchema>

export const roomConfiguredSchema = z.object({ config: roomConfigPatchSchema })
export type RoomConfigured = z.infer<typeof roomConfiguredSchema>
