/**
 * Causal-past queries over stored events (ADR 0065). An event's causal past is everything it
 * references (prev, deps, evidence, the genesis, an invite issuer's join), transitively; it is
 * fixed once the event is stored, so answers can be cached for good.
 */
import type { EventId, PeerId } from '../ids'
import { referencesOf } from '../log/admission'
import type { StoredEvent } from '../log/stored'

/** What the queries read: stored events by id, and an author's chain by seq. */
export interface CausalView {
  readonly room: EventId
  get(id: EventId): StoredEvent | undefined
  /** The ids stored at one (author, seq), sorted. */
  idsAt(author: PeerId, seq: number): EventId[]
}

/**
 * The highest seq of `author` in the causal past of `from` (0 if none): an author's chain is a
 * prefix of its events, so "event (author, s) is in the past of `from`" is `s ≤` this.
 *
 * The walk skips everything that cannot lead higher: a stored event can only have
 * (author, best + 1) in its past if its Lamport clock exceeds that event's (references always
 * have lower clocks), and once no event exists at best + 1 nothing higher can be found.
 */
export function maxSeqInPast(view: CausalView, from: StoredEvent, author: PeerId): number {
  let best = 0
  let floor = lamportAt(view, author, 1)
  if (floor === undefined) return 0
  const seen = new Set<EventId>()
  const stack: StoredEvent[] = [from]
  while (stack.length > 0) {
    const e = stack.pop() as StoredEvent
    for (const r of referencesOf(e.event, view.room)) {
      if (seen.has(r)) continue
      seen.add(r)
      const ref = view.get(r)
      if (!ref || ref.event.lamport < floor) continue
      if (ref.event.author === author && ref.event.seq > best) {
        best = ref.event.seq
        const next = lamportAt(view, author, best + 1)
        if (next === undefined) return best
        floor = next
      }
      // Descend even below one of `author`'s own events: an equivocator's other fork may sit
      // higher in its past.
      if (ref.event.lamport >= floor) stack.push(ref)
    }
  }
  return best
}

/** The lowest Lamport clock among `author`'s stored events at `seq`, if any. */
function lamportAt(view: CausalView, author: PeerId, seq: number): number | undefined {
  let low: number | undefined
  for (const id of view.idsAt(author, seq)) {
    const l = (view.get(id) as StoredEvent).event.lamport
    if (low === undefined || l < low) low = l
  }
  return low
}

/** Caches `maxSeqInPast` per (event, author): both are immutable once stored. */
export class PastIndex {
  private readonly cache = new Map<string, number>()

  constructor(private readonly view: CausalView) {}

  /** The highest seq of `author` in the causal past of `from`. */
  seen(from: StoredEvent, author: PeerId): number {
    const key = `${from.id}\n${author}`
    let v = this.cache.get(key)
    if (v === undefined) this.cache.set(key, (v = maxSeqInPast(this.view, from, author)))
    return v
  }

  /** True if `e` is in the causal past of `from` (an event is not in its own past). */
  inPast(e: StoredEvent, from: StoredEvent): boolean {
    return this.seen(from, e.event.author) >= e.event.seq
  }
}
