/**
 * The bounded buffer of signed events waiting for referenced events (DESIGN §1): a global
 * cap and a per-author cap, so one peer cannot fill memory with orphans.
 */
import type { EncodedEvent } from '../events/envelope'
import type { EventId, PeerId } from '../ids'

export interface Pending {
  enc: EncodedEvent
  inviteOk: boolean
  missing: Set<EventId>
}

/** Pending events with their missing references, capped globally and per author. */
export class PendingBuffer {
  private readonly entries = new Map<EventId, Pending>()
  private readonly waiting = new Map<EventId, Set<EventId>>()
  private readonly byAuthor = new Map<PeerId, number>()

  constructor(
    private readonly max: number,
    private readonly maxPerAuthor: number,
  ) {}

  /** Number of parked events. */
  get size(): number {
    return this.entries.size
  }

  /** True if the event is parked. */
  has(id: EventId): boolean {
    return this.entries.has(id)
  }

  /** Parked events by this author. */
  countOf(author: PeerId): number {
    return this.byAuthor.get(author) ?? 0
  }

  /** Park an event; false if a cap is reached. */
  park(p: Pending): boolean {
    const author = p.enc.event.author
    if (this.entries.size >= this.max || this.countOf(author) >= this.maxPerAuthor) return false
    this.entries.set(p.enc.id, p)
    this.byAuthor.set(author, this.countOf(author) + 1)
    for (const m of p.missing) {
      let set = this.waiting.get(m)
      if (!set) this.waiting.set(m, (set = new Set()))
      set.add(p.enc.id)
    }
    return true
  }

  /** Remove and return the events waiting on `id`. */
  takeWaiters(id: EventId): Pending[] {
    const waiters = this.waiting.get(id)
    this.waiting.delete(id)
    const out: Pending[] = []
    for (const w of waiters ?? []) {
      const p = this.entries.get(w)
      if (p) out.push(p)
    }
    return out
  }

  /** Take an event out of the buffer and out of every waiting list. */
  unpark(p: Pending): void {
    this.entries.delete(p.enc.id)
    const author = p.enc.event.author
    this.byAuthor.set(author, this.countOf(author) - 1)
    for (const m of p.missing) {
      const set = this.waiting.get(m)
      set?.delete(p.enc.id)
      if (set?.size === 0) this.waiting.delete(m)
    }
  }

  /** Parked events, oldest first, optionally of one author. */
  list(author?: PeerId): Pending[] {
    const all = [...this.entries.values()]
    return author === undefined ? all : all.filter((p) => p.enc.event.author === author)
  }

  /** Referenced ids nobody has sent yet: what to fetch from peers. */
  missing(): EventId[] {
    return [...this.waiting.keys()].filter((id) => !this.entries.has(id))
  }
}
