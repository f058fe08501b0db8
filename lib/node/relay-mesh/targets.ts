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
import { fetchRoomInfo, RoomInfoError, type RoomInfo } from '../../net/room-info'

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

/** Every target failed; `transient` when each failure is one that asking again may cure. */
export class NoRelayAnswered extends Error {
  constructor(readonly failures: ReadonlyArray<{ target: string; error: Error }>) {
    super(`no relay answered (${failures.map((f) => `${f.target}: ${f.error.message}`).join('; ')})`)
    this.name = 'NoRelayAnswered'
  }

  get transient(): boolean {
    return this.failures.length > 0 && this.failures.every((f) => isTransient(f.error))
  }
}

/** True for a failure that asking again may cure (a time-out, a dropped connection, "come back later"). */
export function isTransient(err: Error): boolean {
  return err instanceof RoomInfoError ? err.transient : err.name === 'TimeoutError' || err.name === 'AbortError'
}

export interface ResolveOptions {
  /** Each HTTP request's time-out. @default 5000 */
  timeoutMs?: number
  /**
   * Ask a target a second time, 250 ms later, when the first try got no answer or a "later":
   * right after a relay restart a pooled keep-alive socket to the old process fails once before
   * a fresh one is opened. @default true
   */
  again?: boolean
  /**
   * A time (epoch ms) after which no further target is asked, and to which each request's
   * time-out is cut (never below a second): targets are asked in turn, so without it a list of
   * several slow relays takes several time-outs.
   */
  deadline?: number
}

async function roomInfoOf(url: string, o: ResolveOptions): Promise<RoomInfo> {
  const token = process.env.CHORUS_API_TOKEN
  const timeoutMs = o.timeoutMs ?? 5000
  try {
    return await fetchRoomInfo(url, timeoutMs, { token })
  } catch (err) {
    const answered = err instanceof RoomInfoError && err.status != null && !err.transient
    if (o.again === false || answered) throw err
    await new Promise((r) => setTimeout(r, 250))
    return await fetchRoomInfo(url, timeoutMs, { token })
  }
}

/** Asks each target in turn; resolves with the first answer or throws a NoRelayAnswered naming every failure. */
export async function resolveRoom(targets: readonly string[], node?: Libp2p, o: ResolveOptions = {}): Promise<ResolvedRoom> {
  const failures: { target: string; error: Error }[] = []
  for (const target of targets) {
    const left = o.deadline === undefined ? Infinity : o.deadline - Date.now()
    if (left <= 0 && failures.length > 0) break
    const timeoutMs = Math.min(o.timeoutMs ?? 5000, Math.max(1000, left))
    try {
      if (isMultiaddrTarget(target)) {
        if (!node) throw new Error('a multiaddr needs a libp2p node to ask')
        const conn = await node.dial(multiaddr(target), { signal: AbortSignal.timeout(10_000) })
        const answer = await askRelays(conn)
        return { room: answer.room, records: answer.relays, from: target }
      }
      const info = await roomInfoOf(target, { ...o, timeoutMs })
      return { room: info.room, records: recordsOf(info, target), info, from: target }
    } catch (err) {
      failures.push({ target, error: err as Error })
    }
  }
  throw new NoRelayAnswered(failures)
}
