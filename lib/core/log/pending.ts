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
    /** True if the log holds any event of this author. */
    private readonly isKnown: (author: PeerId) => boolean = () => true,
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

  /**
   * Park an event; false if its author is at its cap, or the buffer is full and nothing may
   * be evicted for it. Eviction order when full: first the oldest event of an author this log
   * knows nothing of (orphans from fresh identities are the cheap attack); then, for a known
   * author only, the oldest event of the known author holding the most, if it holds more than
   * the newcomer's author. So identities minted to park orphans never push members' events
   * out, and members share the rest fairly. Evicted events that are real come back through
   * anti-entropy.
   */
  park(p: Pending): boolean {
    const author = p.enc.event.author
    if (this.countOf(author) >= this.maxPerAuthor) return false
    if (this.entries.size >= this.max && !this.evictFor(author)) return false
    this.entries.set(p.enc.id, p)
    this.byAuthor.set(author, this.countOf(author) + 1)
    for (const m of p.missing) {
      let set = this.waiting.get(m)
      if (!set) this.waiting.set(m, (set = new Set()))
      set.add(p.enc.id)
    }
    return true
  }

  private evictFor(author: PeerId): boolean {
    const victim =
      this.oldest((a) => !this.isKnown(a)) ??
      (this.isKnown(author) ? this.oldest(this.largestHolderAbove(this.countOf(author))) : undefined)
    if (!victim) return false
    this.unpark(victim)
    this.evicted++
    return true
  }

  private oldest(match: ((a: PeerId) => boolean) | undefined): Pending | undefined {
    if (!match) return undefined
    for (const p of this.entries.values()) if (match(p.enc.event.author)) return p
    return undefined
  }

  private largestHolderAbove(n: number): ((a: PeerId) => boolean) | undefined {
    let top: PeerId | undefined
    for (const [a, k] of this.byAuthor) if (k > n && (top === undefined || k > this.countOf(top))) top = a
    return top === undefined ? undefined : (a) => a === top
  }

  /** Events evicted to make room, since start. */
  evicted = 0

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
    const left = this.countOf(author) - 1
    // An author whose entries are all gone leaves no trace: the map never outgrows the buffer.
    if (left > 0) this.byAuthor.set(author, left)
    else this.byAuthor.delete(author)
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
