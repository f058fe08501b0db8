/**
 * What a flood benchmark peer stored and when: the ids after each write (the mesh's own authors
 * read from their chains, so none is missed) and the times events of outside authors landed.
 */
import type { PeerId } from '../lib/core/ids'
import type { RoomPeer } from '../lib/net/room-peer'
import { wallNow } from './mesh'

/**
 * Calls `report` with the ids `peer` newly stored, after each of its writes. The host's recent
 * list holds the last 100 only and one write can hold more (a sync batch of a flood), so the
 * events of `watched()` authors (the mesh's own) are also read from their chains: an honest
 * event is never missed.
 */
export function reportStores(peer: RoomPeer, watched: () => readonly string[], report: (ids: string[], t: number) => void, outside?: OutsideStores): void {
  const seen = new Set<string>()
  const upTo = new Map<string, number>()
  const log = peer.host.replica.log
  peer.host.subscribe(() => {
    const t = wallNow()
    const fresh: string[] = []
    const add = (id: string) => {
      if (seen.has(id)) return false
      seen.add(id)
      fresh.push(id)
      return true
    }
    for (const e of peer.host.recent(100)) {
      if (!add(e.id)) break
      if (outside != null && watched().length > 0 && !watched().includes(e.event.author)) outside.note(t)
    }
    for (const a of watched()) {
      const top = log.topSeq(a as PeerId)
      if (top <= (upTo.get(a) ?? 0)) continue
      for (const e of log.eventsAfter(a as PeerId, upTo.get(a) ?? 0)) add(e.id)
      upTo.set(a, top)
    }
    if (fresh.length > 0) report(fresh, t)
  })
}

/** When a peer stored events of authors outside the mesh (the flooder's, in a flood): wall times, the first 20,000. */
export class OutsideStores {
  readonly times: number[] = []
  note(t: number): void {
    if (this.times.length < 20_000) this.times.push(t)
  }
}
