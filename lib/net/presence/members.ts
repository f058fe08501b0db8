/**
 * Who a peer is, for presence, by the room's log: its member record (name, kind, role), as
 * long as it is a member — not for a key that never joined, left or was revoked.
 */
import type { MemberFacts } from '../../core/authority/members'
import type { PeerId } from '../../core/ids'
import type { RoomState } from '../../core/state/types'
import { RELAY_CAPABILITY } from '../relays/record'
import type { MemberInfo } from './service'

/**
 * The `members` lookup of PresenceService. Reading the replica's state runs the fold replay
 * that late events owe; a beat arrives from every member every interval, so on a hub — where
 * nothing else reads the state while events stream in — a lookup per beat was a replay per
 * beat. With `settleEveryMs`, `state()` is called at most that often, and lookups in between
 * read the state object it last returned: the live fold state as of its last step, which only
 * a replay owed since (an out-of-order event, folded again on the next read) has not caught up.
 */
export function memberPresence(state: () => RoomState, settleEveryMs = 0, now: () => number = () => performance.now()): (peerId: string) => MemberInfo | undefined {
  let last: RoomState | undefined
  let readAt = Number.NEGATIVE_INFINITY
  return (peerId) => {
    const t = now()
    if (last == null || t - readAt >= settleEveryMs) {
      last = state()
      readAt = t
    }
    const s = last
    const m = s.members.get(peerId as PeerId)
    if (m == null || m.left || m.revoked === true) return undefined
    // The room's owner signed its genesis: the relay that created it (room-bootstrap.ts); other
    // relays join with the relay capability.
    const relay = peerId === s.owner || m.capabilities.includes(RELAY_CAPABILITY)
    return { name: m.displayName, kind: relay ? 'relay' : m.kind, role: m.role }
  }
}

/**
 * The `members` lookup of PresenceService read from the replica's authority index (ADR 0086):
 * the same answer as the fold's record, without reading the fold, so no lookup ever runs a
 * replay. A hub uses it: it folds nothing else, and a replay owed after late events from a
 * starved peer can cover thousands of events.
 */
export function authorityPresence(member: (peerId: PeerId) => MemberFacts | undefined): (peerId: string) => MemberInfo | undefined {
  return (peerId) => {
    const m = member(peerId as PeerId)
    if (m == null || m.left || m.revoked) return undefined
    // Only the room's genesis grants the owner role, and the relay that created the room signed it.
    const relay = m.role === 'owner' || m.capabilities.includes(RELAY_CAPABILITY)
    return { name: m.displayName, kind: relay ? 'relay' : m.kind, role: m.role }
  }
}
