/**
 * The public surface of the coordination core (DESIGN §1–§3). The network layer, the stores
 * and the UI import from here; deeper paths are internal and may move.
 */
export { asEventId, asPeerId, asSessionId, type EventId, type PeerId, type RoomId, type SessionId } from './ids'

export { ENVELOPE_VERSION, MAX_DEPS, MAX_EVENT_BYTES } from './events/constants'
export type { AnyEvent, EncodedEvent, SignedEvent, UnsignedEvent } from './events/envelope'
export { cidOf, decodeEvent, encodeEvent, signEvent, signingBytes, SigningError, type DecodeResult } from './events/codec'
export { EVENT_KINDS, isEventKind, payloadSchemas, type EventKind, type PayloadInput, type PayloadOf } from './events/kinds'
export { ROLES, type Role } from './events/kinds/common'
export { INVITE_ROLES, type InviteBody, type InviteIssued, type InviteRevoked, type SignedInvite } from './events/kinds/invite'
export { classifyMessage, messageType, MESSAGE_TYPES, type MessageType } from './events/kinds/message'
export { DEFAULT_ROOM_CONFIG, type RoomConfig, type RoomConfigPatch } from './events/kinds/room'
export { ESCALATION_REASONS, SESSION_TYPES, type EscalationReason, type SessionType } from './events/kinds/session'
export { ed25519PublicKeyFromPeerId, isEd25519PeerId, peerIdFromEd25519PublicKey } from './events/peer-id'
export type { Signer, Verifier } from './events/signer'
export { signInvite, verifyInvite } from './events/verify'
export { decodeInviteText, encodeInviteText } from './events/invite-link'

export { EventLog, type EventLogInit, type LogStats } from './log/log'
export { REJECT_REASONS, EventRejectedError, gossipVerdict, type AddResult, type GossipVerdict, type RejectReason } from './log/reasons'
export type { StoredEvent } from './log/stored'
export { authorEvent, chooseDeps, createGenesis, nextEnvelope } from './log/author'
export { eventsMissingFrom, summarize, type AuthorSummary, type Summary } from './log/summary'
export { ALLOWED_ROLES, roleMayAuthor } from './log/roles'

export { Replica, type ReplicaInit } from './state/replica'
export { Authority, type AuthorityFacts } from './authority/authority'
export { JOIN_WITNESS_GRACE_MS } from './authority/standing'
export { stateDigest } from './state/digest'
export * from './state/selectors'
export { selectInvites, type InviteView } from './state/select-invites'
export { selectTimeline, type TimelineEntry } from './state/timeline'
export type * from './state/types'

export { due, type DueEvent } from './sessions/due'
export { DependencyCache } from './sessions/dependency-cache'
export { consensusOf, type ConsensusView } from './sessions/consensus'
export { sessionIdOf } from './sessions/ids'
export { approvalsNeeded } from './sessions/quorum'

export { detectPair, DependencyIndex } from './rules'
export { ARTIFACT_KINDS, parseArtifact, type ArtifactKind, type ArtifactRole } from './rules/artifacts'
export { pathConflict, pathsOverlap, PATHS_RULE } from './rules/paths'
export { chorusTaskContextSchema, isChorusTask, parseTask, toChorusTask, type ChorusTaskContext } from './rules/chorus'
export { chorusDiscussion } from './interop/chorus-discussion'
