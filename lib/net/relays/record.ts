/**
 * What a relay says about itself and the other relays of its room (the bootstrap list): tabs
 * and agents learn every relay from any one of them, cache the list, and keep connections to
 * more than one. Hints, not authority: an address is dialled and the noise handshake proves the
 * peer id, and an answer always names its room so a relay serving another room is caught.
 */
import { z } from 'zod'

/** The libp2p protocol on which relays answer with their room and relays. */
export const RELAYS_PROTOCOL = '/chorus-mesh/relays/1.0.0'
export const RELAYS_VERSION = 1

/** The member capability a relay joins with (relays are admins that never run agent duties). */
export const RELAY_CAPABILITY = 'relay'

export const relayRecordSchema = z.object({
  peerId: z.string().min(1).max(128),
  /** Multiaddrs to dial, each ending in `/p2p/<peerId>`. */
  addrs: z.array(z.string().min(1).max(512)).max(16),
  /** The relay's HTTP base URL (`/api/room`), when it has one peers can use. */
  http: z.string().url().max(512).optional(),
})
export type RelayRecord = z.infer<typeof relayRecordSchema>

/** The answer on RELAYS_PROTOCOL (and the `relays` of `/api/room`). */
export const relaysAnswerSchema = z.object({
  v: z.literal(RELAYS_VERSION),
  room: z.string().min(1).max(128),
  /** The answering relay first, then the others it knows. */
  relays: z.array(relayRecordSchema).max(64),
})
export type RelaysAnswer = z.infer<typeof relaysAnswerSchema>

/** The peer id a multiaddr names (its last `/p2p/…`), if any. */
export function peerIdOfAddr(addr: string): string | undefined {
  const parts = addr.split('/')
  const at = parts.lastIndexOf('p2p')
  return at >= 0 && parts[at + 1] ? parts[at + 1] : undefined
}

/** Appends `/p2p/<peerId>` to addresses that lack it. */
export function withPeerId(addrs: readonly string[], peerId: string): string[] {
  return addrs.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${peerId}`))
}

/** The relays a room info names: its `relays` list, else (a relay of an earlier version) its one relay. */
export function recordsOf(info: { relay: { peerId: string; addrs: string[] }; relays?: RelayRecord[] }, http?: string): RelayRecord[] {
  if (info.relays && info.relays.length > 0) return info.relays
  return [{ peerId: info.relay.peerId, addrs: withPeerId(info.relay.addrs, info.relay.peerId), ...(http ? { http } : {}) }]
}
