/**
 * What one connection knows of a room's slabs (ADR 0097): the ids they hold and the slab each is
 * in, learned from every slab this connection reads or writes, and from the notices other
 * connections of the browser post when they commit one (ADR 0119). IndexedDB keeps no per-event
 * index, so this map is what deduplicates a write and answers `has`, `get` and `count`.
 *
 * It is exact because slabs are numbered without gaps in commit order: a write adds slab
 * `through + 1` with `add`, which fails if that key exists — that is, if another connection (a
 * second tab of this browser) committed a slab this one has not learned. The writer then reads
 * the slabs after `through`, learns them, and writes again, so a write that succeeds was checked
 * against every id stored before it. A notice may arrive ahead of one it follows (notices from
 * two tabs, or one missed while this connection opened): its ids are known at once, and
 * `through` moves past it only when every slab before it is known.
 */
import type { Slab } from './idb-slabs'

/** See the module comment. */
export class RoomCatalog {
  /** Slabs 1…through are known: the next slab written is `through + 1`. */
  through = 0
  /** Every id of the known slabs, with the number of the slab holding it. */
  readonly ids = new Map<string, number>()
  /** Known slabs numbered past `through + 1` (a notice ahead of a gap). */
  readonly #ahead = new Set<number>()

  /**
   * Learns slabs read or committed. Callers pass runs that continue from a known slab (a read
   * of `[room, through + 1] …`, a scan from slab 1, a write of `through + 1 …`), so every slab up
   * to the highest learned is known; learning one twice changes nothing.
   */
  learn(slabs: readonly Pick<Slab, 'n' | 'ids'>[]): void {
    for (const slab of slabs) {
      this.#add(slab.n, slab.ids)
      if (slab.n > this.through) this.through = slab.n
    }
    this.#close()
  }

  /** Learns one slab that another connection says it committed, wherever it falls. */
  heard(n: number, ids: readonly string[]): void {
    if (n <= this.through) return
    this.#add(n, ids)
    this.#ahead.add(n)
    this.#close()
  }

  /** Slabs known past a gap (the next write's read of the slabs after `through` fills it). */
  get ahead(): number {
    return this.#ahead.size
  }

  #add(n: number, ids: readonly string[]): void {
    for (let i = 0; i < ids.length; i++) if (!this.ids.has(ids[i])) this.ids.set(ids[i], n)
  }

  /** Moves `through` over the slabs known ahead that now follow it. */
  #close(): void {
    if (this.#ahead.size === 0) return
    for (const n of this.#ahead) if (n <= this.through) this.#ahead.delete(n)
    while (this.#ahead.delete(this.through + 1)) this.through++
  }
}
