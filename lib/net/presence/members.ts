/**
 * Who a peer is, for presence, by the room's log: its member record (name, kind, role), as
 * long as it is a member — not for a key that never joined, left or was revoked.
 */
import type { PeerId } from '../../core/ids'
import type { RoomState } from '../../core/state/types'
import { RELAY_CAPABILITY } from '../relays/record'
import type { MemberInfo } from './service'

/** The `members` lookup of PresenceService, read from `state()` at every call. */
export function memberPresence(state: () => RoomState): (peerId: string) => MemberInfo | undefined {
  return (peerId) => {
    const s = state()
    const m = s.members.get(peerId as PeerId)
    if (m == null || m.left || m.revoked === true) return undefined
    // The room's owner signed its genesis: the relay that created it (room-bootstrap.ts); other
    // relays join with the relay capability.
    const relay = peerId === s.owner || m.capabilities.includes(RELAY_CAPABILITY)
    return { name: m.displayName, kind: relay ? 'relay' : m.kind, role: m.role }
  }
}
