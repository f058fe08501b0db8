/**
 * What a relay may do in its room, read from the folded state: the room's owner (a relay that
 * created the room with its own key) signs invites as the owner; any other relay is an admin
 * member and names its own join in the invites it signs, so they count while its admin
 * standing does (ADR 0065). The one place the relay code asks "as whom do I act?".
 */
import { asPeerId } from '../../core/ids'
import type { InviteOptions } from '../invites'
import type { RoomState } from '../../core/state/types'
import { RELAY_CAPABILITY } from '../../net/relays/record'

export interface RelayAuthority {
  /** The role presence announces (`relay` before its join arrived). */
  role: string
  /** What invites it signs must carry. */
  invite: Pick<InviteOptions, 'issuerJoin'>
  /** True when it may issue invites at all. */
  mayInvite: boolean
}

/** See the module comment. */
export function relayAuthority(state: RoomState, relay: string): RelayAuthority {
  const id = asPeerId(relay)
  if (state.owner === id) return { role: 'owner', invite: {}, mayInvite: true }
  const m = state.members.get(id)
  if (m == null || m.left || m.revoked) return { role: 'relay', invite: {}, mayInvite: false }
  return { role: m.role, invite: { issuerJoin: m.joinEvent }, mayInvite: m.role === 'admin' }
}

/** True for a member that joined as a relay (it serves the room; it runs no agent duties). */
export function isRelayMember(state: RoomState, peer: string): boolean {
  const m = state.members.get(asPeerId(peer))
  return m != null && (m.capabilities.includes(RELAY_CAPABILITY) || state.owner === m.peerId)
}

/** True for a current agent member that is no relay (the peers a listening agent meshes with). */
export function isAgentMember(state: RoomState, peer: string): boolean {
  const m = state.members.get(asPeerId(peer))
  return m != null && m.kind === 'agent' && !m.left && !m.revoked && !isRelayMember(state, peer)
}
