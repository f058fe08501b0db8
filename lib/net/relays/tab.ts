/**
 * A tab's relays: a RelayPool keeping two WebSocket connections (each carries a circuit-relay
 * reservation, so other tabs can reach this one through either), seeded from the room info and
 * the list this browser cached for the room, asking the app's `/api/room` again while fewer
 * than two relays are connected. A relay serving another room is reported on the console and
 * to `onWrongRoom` (the app shows it in a banner naming both rooms).
 */
import type { Libp2p } from '@libp2p/interface'
import type { RoomInfo } from '../room-info'
import { RelayPool, browserDialable, wrongRoomMessage, type RelayState, type WrongRoom } from './pool'
import { recordsOf, relayRecordSchema, type RelayRecord } from './record'

/** Relays a tab stays connected to (and reserves a circuit slot on). */
export const TAB_RELAYS = 2

const cacheKey = (room: string) => `chorus-mesh:relays:${room}`

function cached(room: string): RelayRecord[] {
  try {
    const parsed = relayRecordSchema.array().safeParse(JSON.parse(localStorage.getItem(cacheKey(room)) ?? '[]'))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

/** Creates (not starts) the tab's pool. */
export function tabRelays(
  node: Libp2p,
  room: RoomInfo,
  refresh: () => Promise<RoomInfo>,
  onState: (s: RelayState) => void,
  onWrongRoom?: (w: WrongRoom) => void,
): RelayPool {
  return new RelayPool(node, {
    room: room.room,
    seed: [...recordsOf(room), ...cached(room.room)],
    want: TAB_RELAYS,
    dialable: browserDialable,
    onChange: (records) => {
      try {
        localStorage.setItem(cacheKey(room.room), JSON.stringify(records))
      } catch {
        // Storage full or denied: the list is learnt again from the relays.
      }
    },
    onState: (s) => onState(s),
    onWrongRoom: (w) => {
      console.error(`Chorus Mesh: ${wrongRoomMessage(w)}`)
      onWrongRoom?.(w)
    },
    fallback: async () => {
      const info = await refresh()
      return { room: info.room, records: recordsOf(info), from: '/api/room' }
    },
  })
}
