/**
 * Where a joining relay (or a peer started with several relays) finds its room: each target is
 * a relay's HTTP URL (its `/api/room`) or a relay's multiaddr (asked on RELAYS_PROTOCOL). The
 * first target that answers names the room and its relays; every failure is kept, so an error
 * can say why none answered.
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import { askRelays } from '../../net/relays/protocol'
import { recordsOf, type RelayRecord } from '../../net/relays/record'
import { fetchRoomInfo, type RoomInfo } from '../../net/room-info'

export { recordsOf }

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

/**
 * A relay's room info, tried twice: right after a relay restart a pooled keep-alive socket to
 * the old process fails once ("fetch failed") before a fresh one is opened.
 */
async function roomInfoWithRetry(url: string): Promise<RoomInfo> {
  const token = process.env.CHORUS_API_TOKEN
  try {
    return await fetchRoomInfo(url, 5000, { token })
  } catch {
    await new Promise((r) => setTimeout(r, 250))
    return await fetchRoomInfo(url, 5000, { token })
  }
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
      const info = await roomInfoWithRetry(target)
      return { room: info.room, records: recordsOf(info, target), info, from: target }
    } catch (err) {
      failures.push(`${target}: ${(err as Error).message}`)
    }
  }
  throw new Error(`no relay answered (${failures.join('; ')})`)
}
