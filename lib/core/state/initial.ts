/** The empty state of a room before its genesis is folded. */
import { DEFAULT_ROOM_CONFIG } from '../events/kinds/room'
import type { RoomId } from '../ids'
import type { RoomState } from './types'

/** A fresh, empty state for `room`. */
export function initialState(room: RoomId): RoomState {
  return {
    room,
    name: '',
    owner: null,
    open: false,
    config: { ...DEFAULT_ROOM_CONFIG },
    members: new Map(),
    inviteUses: new Map(),
    invites: new Map(),
    tasks: new Map(),
    rules: new Map(),
    dependencies: new Map(),
    links: new Map(),
    sessions: new Map(),
    awaitingWitness: new Map(),
    quarantined: new Map(),
    ignored: new Map(),
    applied: 0,
    lastTime: 0,
  }
}
