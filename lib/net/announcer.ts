/**
 * Discovery announcements: a peer's addresses, signed by the peer's own libp2p key (ADR 0085).
 *
 * The record keeps pubsub-peer-discovery's fields (`message Peer { bytes publicKey = 1;
 * repeated bytes addrs = 2; }`) and appends `bytes signature = 3` over a domain tag, the topic
 * (which names the room) and every byte before it. Gossip messages carry no libp2p signature
 * (ADR 0075), so without this anyone in the room could announce any addresses under any peer's
 * key and make every agent and tab dial them: a member could point the whole room at a host
 * and port of its choosing. With it, an announcement names only addresses its own key chose.
 *
 * `discoveryValidator` is the discovery topic's gossipsub validator on every peer, so a forged
 * announcement stops at the first honest peer and costs its sender score; an unsigned one (an
 * older peer's) is dropped without a penalty. Listeners of the topic see only accepted messages,
 * which is why the dialers read them with `readAccepted`, without checking the signature again.
 */
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { reader, writer } from 'protons-runtime'
import { discoveryTopic } from './topics'

const DOMAIN = new TextEncoder().encode('chorus-mesh/discovery/v1\0')
const SIGNATURE_TAG = (3 << 3) | 2
/**
 * Larger records are refused before any signature check. A peer has a handful of addresses
 * (a tab: a circuit and a WebRTC address through each relay), and `signAnnouncement` keeps
 * within both bounds, so an honest record is never refused for its size.
 */
export const MAX_ANNOUNCEMENT_BYTES = 8192
export const MAX_ANNOUNCED_ADDRS = 64

/** The unsigned body of an announcement of `key` at `addrs` (pubsub-peer-discovery's format). */
export function encodeAnnouncement(key: PublicKey, addrs: readonly Uint8Array[] = []): Uint8Array {
  const w = writer()
  w.uint32(10)
  w.bytes(publicKeyToProtobuf(key))
  for (const a of addrs) {
    w.uint32(18)
    w.bytes(a)
  }
  return w.finish()
}

/** The bytes a signature covers: the domain tag, the topic, then the body. */
function signedBytes(topic: string, body: Uint8Array): Uint8Array {
  const t = new TextEncoder().encode(`${topic}\0`)
  const out = new Uint8Array(DOMAIN.length + t.length + body.length)
  out.set(DOMAIN)
  out.set(t, DOMAIN.length)
  out.set(body, DOMAIN.length + t.length)
  return out
}

/**
 * An announcement of `key`'s own addresses on `topic`, signed by it: the first addresses that
 * fit the bounds receivers enforce, in the order given.
 */
export async function signAnnouncement(key: PrivateKey, topic: string, addrs: readonly Uint8Array[]): Promise<Uint8Array> {
  // Room for the key, a signature of any key type (RSA's is the longest) and field headers.
  let budget = MAX_ANNOUNCEMENT_BYTES - publicKeyToProtobuf(key.publicKey).length - 600
  const fitting: Uint8Array[] = []
  for (const a of addrs) {
    budget -= a.length + 4
    if (budget < 0 || fitting.length === MAX_ANNOUNCED_ADDRS) break
    fitting.push(a)
  }
  const body = encodeAnnouncement(key.publicKey, fitting)
  const signature = await key.sign(signedBytes(topic, body))
  const w = writer()
  w.uint32(SIGNATURE_TAG)
  w.bytes(signature)
  const tail = w.finish()
  const out = new Uint8Array(body.length + tail.length)
  out.set(body)
  out.set(tail, body.length)
  return out
}

export type OpenedAnnouncement =
  | { status: 'signed'; peerId: PeerId; addrs: Uint8Array[] }
  /** Well formed but carrying no signature: an older peer's record. */
  | { status: 'unsigned' }
  /** Unreadable, too large, or a signature that does not verify for the named key and topic. */
  | { status: 'invalid'; reason: string }

/** An announcement's fields, read but not checked. */
interface Parsed {
  key: PublicKey
  addrs: Uint8Array[]
  signature?: Uint8Array
  /** Where the signed body ends (the signature field's start). */
  bodyEnd: number
}

function parse(data: Uint8Array): Parsed | { invalid: string } {
  if (data.length > MAX_ANNOUNCEMENT_BYTES) return { invalid: `larger than ${MAX_ANNOUNCEMENT_BYTES} bytes` }
  let key: PublicKey | undefined
  const addrs: Uint8Array[] = []
  let signature: Uint8Array | undefined
  let bodyEnd = data.length
  try {
    const r = reader(data)
    while (r.pos < r.len) {
      const at = r.pos
      const tag = r.uint32()
      if (signature != null) return { invalid: 'a field after the signature' }
      if (tag === 10) {
        if (key != null) return { invalid: 'two keys' }
        key = publicKeyFromProtobuf(r.bytes())
      } else if (tag === 18) {
        addrs.push(r.bytes())
        if (addrs.length > MAX_ANNOUNCED_ADDRS) return { invalid: `more than ${MAX_ANNOUNCED_ADDRS} addresses` }
      } else if (tag === SIGNATURE_TAG) {
        bodyEnd = at
        signature = r.bytes()
      } else {
        return { invalid: `unknown field ${tag >>> 3}` }
      }
    }
  } catch (err) {
    return { invalid: `unreadable: ${(err as Error).message}` }
  }
  if (key == null) return { invalid: 'no key' }
  return { key, addrs, signature, bodyEnd }
}

/** Reads and checks an announcement received on `topic` (never throws). */
export async function openAnnouncement(data: Uint8Array, topic: string): Promise<OpenedAnnouncement> {
  const parsed = parse(data)
  if ('invalid' in parsed) return { status: 'invalid', reason: parsed.invalid }
  const { key, addrs, signature, bodyEnd } = parsed
  if (signature == null) return { status: 'unsigned' }
  let valid = false
  try {
    valid = await key.verify(signedBytes(topic, data.subarray(0, bodyEnd)), signature)
  } catch {
    // A signature of the wrong length for the key type: invalid like any other.
  }
  return valid ? { status: 'signed', peerId: peerIdFromPublicKey(key), addrs } : { status: 'invalid', reason: 'the signature does not verify' }
}

/**
 * The peer and addresses of an announcement the topic's validator has accepted, without
 * checking the signature again; undefined for anything unreadable (never throws).
 */
export function readAccepted(data: Uint8Array): { peerId: PeerId; addrs: Uint8Array[] } | undefined {
  const parsed = parse(data)
  if ('invalid' in parsed || parsed.signature == null) return undefined
  return { peerId: peerIdFromPublicKey(parsed.key), addrs: parsed.addrs }
}

/** Records a validator remembers as verified (a room has about this many announcing peers at most). */
export const VERIFIED_RECORDS = 1024
/** And at most this many bytes of them: any member can announce records of the largest size. */
export const VERIFIED_BYTES = 1024 * 1024

/**
 * The records a validator has verified, by their bytes. A peer announces the same record every
 * interval (its Ed25519 signature is deterministic), and the copies forwarded by its neighbours
 * reach the validator again once they fall in another second than the first (message-id.ts):
 * a record byte-for-byte equal to one already verified on this topic needs no second check.
 */
class VerifiedRecords {
  private readonly seen = new Map<string, Uint8Array>()
  private bytes = 0

  /** The record's signature (its last bytes) names it; the whole record must then be equal. */
  private static keyOf(data: Uint8Array): string {
    let k = ''
    for (let i = Math.max(0, data.length - 64); i < data.length; i++) k += String.fromCharCode(data[i])
    return k
  }

  has(data: Uint8Array): boolean {
    const known = this.seen.get(VerifiedRecords.keyOf(data))
    if (known == null || known.length !== data.length) return false
    for (let i = 0; i < data.length; i++) if (known[i] !== data[i]) return false
    return true
  }

  add(data: Uint8Array): void {
    const key = VerifiedRecords.keyOf(data)
    this.forget(key)
    while (this.seen.size > 0 && (this.seen.size >= VERIFIED_RECORDS || this.bytes + data.length > VERIFIED_BYTES)) this.forget(this.seen.keys().next().value as string)
    this.seen.set(key, data.slice())
    this.bytes += data.length
  }

  private forget(key: string): void {
    const old = this.seen.get(key)
    if (old == null) return
    this.seen.delete(key)
    this.bytes -= old.length
  }
}

/**
 * The gossipsub validator of a discovery topic (see the module comment). `open` checks a record
 * (tests count its calls); a record equal to one it found signed is accepted without a second check.
 */
export function discoveryValidator(topic: string, open: typeof openAnnouncement = openAnnouncement): (peer: PeerId, msg: Message) => Promise<TopicValidatorResult> {
  const verified = new VerifiedRecords()
  return async (_peer, msg) => {
    if (verified.has(msg.data)) return TopicValidatorResult.Accept
    const opened = await open(msg.data, topic)
    if (opened.status === 'signed') {
      verified.add(msg.data)
      return TopicValidatorResult.Accept
    }
    return opened.status === 'unsigned' ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
  }
}

/** Installs the validator of `room`'s discovery topic on `pubsub` (once; a second call keeps the first). */
export function guardDiscovery(pubsub: Pick<GossipSub, 'topicValidators'>, room: string): void {
  const topic = discoveryTopic(room)
  if (!pubsub.topicValidators.has(topic)) pubsub.topicValidators.set(topic, discoveryValidator(topic))
}
