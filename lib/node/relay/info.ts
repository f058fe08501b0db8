/** The room info the relay serves at `/api/room` (and the app relays to its tabs). */
import type { RoomCreated } from '../../core/events/kinds/room'
import type { IceServer, RoomInfo } from '../../net/room-info'
import type { RoomPeer } from '../../net/room-peer'
import type { RelayNode } from './node'

export interface RoomInfoSource {
  room: string
  genesis: RoomCreated
  node: RelayNode
  peer: RoomPeer
  presenceIntervalMs: number
  iceServers: IceServer[]
}

/**
 * Addresses tabs and agents should dial: the announced ones when the operator set any (libp2p
 * then reports only those), else the WebSockets listen addresses.
 */
export function dialableAddrs(node: RelayNode): string[] {
  return node
    .getMultiaddrs()
    .map((a) => a.toString())
    .filter((a) => a.includes('/ws'))
}

/** Builds the room info from the relay's live state. */
export function roomInfo(s: RoomInfoSource): RoomInfo {
  return {
    room: s.room,
    name: s.genesis.name,
    open: s.genesis.open,
    relay: { peerId: s.node.peerId.toString(), addrs: dialableAddrs(s.node) },
    presenceIntervalMs: s.presenceIntervalMs,
    events: s.peer.host.replica.log.size,
    ...(s.iceServers.length > 0 ? { iceServers: s.iceServers } : {}),
  }
}
