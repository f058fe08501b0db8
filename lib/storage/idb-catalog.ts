/**
 * What one connection knows of a room's slabs (ADR 0097): the ids they hold and the slab each is
 * in, learned from every slab this connection reads or writes. IndexedDB keeps no per-event
 * index, so this map is what deduplicates a write and answers `has`, `get` and `count`.
 *
 * It is exact because slabs are numbered without gaps in commit order: a write adds slab
 * `through + 1` with `add`, which fails if that key exists — that is, if another connection (a
 * second tab of this browser) committed a slab this one has not read. The writer then reads the
 * slabs after `through`, learns them, and writes again, so a write that succeeds was checked
 * against every id stored before it.
 */
import type { Slab } from './idb-slabs'

/** See the module comment. */
export class RoomCatalog {
  /** Slabs 1…through have been learned: the next slab written is `through + 1`. */
  through = 0
  /** Every id of the learned slabs, with the number of the slab holding it. */
  readonly ids = new Map<string, number>()

  /**
   * Learns slabs read or committed. Callers pass runs that continue from a known slab (a read
   * of `[room, through + 1] …`, a scan from slab 1, a write of `through + 1 …`), so every slab up
   * to the highest learned is known; learning one twice changes nothing.
   */
  learn(slabs: readonly Slab[]): void {
    for (const slab of slabs) {
      const { ids, n } = slab
      for (let i = 0; i < ids.length; i++) if (!this.ids.has(ids[i])) this.ids.set(ids[i], n)
      if (n > this.through) this.through = n
    }
  }
}
