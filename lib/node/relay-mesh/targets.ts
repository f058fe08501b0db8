/**
 * Where a joining relay (or a peer started with several relays) finds its room: each target is
 * a relay's HTTP URL (its `/api/room`) or a relay's multiaddr (asked on RELAYS_PROTOCOL). The
 * first target that answers names the room and its relays; every failure is kept, so an error
 * can say why none answered.
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import { askRelays } from '../../net/relays/protocol'
import { withPeerId, type RelayRecord } from '../../net/relays/record'
import { fetchRoomInfo, type RoomInfo } from '../../net/room-info'

export interface ResolvedRoom {
  room: string
  /** Every relay the answer named (the answering one first). */
  records: RelayRecord[]
  /** The full room info, when the answer came over HTTP. */
  info?: RoomInfo
  from: string
}

/** Splits `--join` / `--relay` values: comma- or space-separated, repeatable. */
export function splitTargets(values: readonly string[] | string | undefined): string[] {
  const list = typeof values === 'string' ? [values] : (values ?? [])
  return list.flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== '')
}

/** True for a multiaddr target (`/ip4/…/p2p/…`), false for a URL; throws on neither. */
export function isMultiaddrTarget(target: string): boolean {
  if (target.startsWith('/')) {
    try {
      multiaddr(target)
    } catch (err) {
      throw new Error(`${target}: not a multiaddr (${(err as Error).message})`)
    }
    if (!target.includes('/p2p/')) throw new Error(`${target}: a relay multiaddr must end in /p2p/<peer id>`)
    return true
  }
  try {
    const u = new URL(target)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported scheme ${u.protocol}`)
  } catch (err) {
    throw new Error(`${target}: expected a relay's http(s) URL or multiaddr (${(err as Error).message})`)
  }
  return false
}

/** The records a room info names: its `relays` list, else its one relay. */
export function recordsOf(info: RoomInfo, http?: string): RelayRecord[] {
  if (info.relays && info.relays.length > 0) return info.relays
  return [{ peerId: info.relay.peerId, addrs: withPeerId(info.relay.addrs, info.relay.peerId), ...(http ? { http } : {}) }]
}

/** Asks each target in turn; resolves with the first answer or throws naming every failure. */
export async function resolveRoom(targets: readonly string[], node?: Libp2p): Promise<ResolvedRoom> {
  const failures: string[] = []
  for (const target of targets) {
    try {
      if (isMultiaddrTarget(target)) {
        if (!node) throw new Error('a multiaddr needs a libp2p node to ask')
        const conn = await node.dial(multiaddr(target), { signal: AbortSignal.timeout(10_000) })
        const answer = await askRelays(conn)
        return { room: answer.room, records: answer.relays, from: target }
      }
      const info = await fetchRoomInfo(target)
      return { room: info.room, records: recordsOf(info, target), info, from: target }
    } catch (err) {
      failures.push(`${target}: ${(err as Error).message}`)
    }
  }
  throw new Error(`no relay answered (${failures.join('; ')})`)
}
