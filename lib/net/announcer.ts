/**
 * Who a discovery announcement is about. Gossip messages carry no libp2p signature (ADR 0075),
 * so the announcer is the peer whose public key the record holds (`message Peer { bytes
 * publicKey = 1; repeated bytes addrs = 2; }`, pubsub-peer-discovery's format, which reads it
 * the same way). Anyone may announce addresses for any key; the noise handshake proves the
 * dialled peer id, so a false announcement costs at most a failed dial.
 */
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PeerId, PublicKey } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { reader, writer } from 'protons-runtime'

/** The peer an announcement names, or undefined for anything that is not one (never throws). */
export function announcerOf(data: Uint8Array | undefined): PeerId | undefined {
  if (data == null) return undefined
  try {
    const r = reader(data)
    while (r.pos < r.len) {
      const tag = r.uint32()
      if (tag >>> 3 === 1 && (tag & 7) === 2) return peerIdFromPublicKey(publicKeyFromProtobuf(r.bytes()))
      r.skipType(tag & 7)
    }
  } catch {
    // Not an announcement.
  }
  return undefined
}

/** Encodes an announcement of `key` at `addrs` (pubsub-peer-discovery's format; for tests and tools). */
export function encodeAnnouncement(key: PublicKey, addrs: Uint8Array[] = []): Uint8Array {
  const w = writer()
  w.uint32(10)
  w.bytes(publicKeyToProtobuf(key))
  for (const a of addrs) {
    w.uint32(18)
    w.bytes(a)
  }
  return w.finish()
}
