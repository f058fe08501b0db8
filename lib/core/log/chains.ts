/**
 * The stored events of a log by author: each author's hash chain by seq (two events at one seq
 * are an equivocation), its head by Lamport clock, its highest seq, and the seq each
 * equivocating author is quarantined from.
 */
import type { EventId, PeerId } from '../ids'
import type { StoredEvent } from './stored'

export class AuthorChains {
  /** author → seq → events stored at that seq (more than one = equivocation). */
  private readonly chains = new Map<PeerId, Map<number, StoredEvent[]>>()
  private readonly forks = new Map<PeerId, number>()
  /** Per author, the stored event with the highest Lamport clock (its head, unless forked). */
  private readonly latest = new Map<PeerId, StoredEvent>()
  private readonly tops = new Map<PeerId, number>()

  /** Records a stored event; true if another event is already stored at its (author, seq). */
  add(stored: StoredEvent): boolean {
    const { author, seq, lamport } = stored.event
    const latest = this.latest.get(author)
    if (!latest || latest.event.lamport < lamport || (latest.event.lamport === lamport && stored.id < latest.id)) this.latest.set(author, stored)
    let chain = this.chains.get(author)
    if (!chain) this.chains.set(author, (chain = new Map()))
    const atSeq = chain.get(seq)
    if (atSeq) atSeq.push(stored)
    else chain.set(seq, [stored])
    this.tops.set(author, Math.max(this.tops.get(author) ?? 0, seq))
    return atSeq != null
  }

  /** Quarantines `author` from `seq` unless it already is from a lower one; true if that changed. */
  quarantine(author: PeerId, seq: number): boolean {
    const known = this.forks.get(author)
    if (known !== undefined && known <= seq) return false
    this.forks.set(author, seq)
    return true
  }

  /** True if the author has stored events. */
  has(author: PeerId): boolean {
    return this.chains.has(author)
  }

  /** An author's stored event with the highest Lamport clock. */
  latestOf(author: PeerId): StoredEvent | undefined {
    return this.latest.get(author)
  }

  /** Authors that have stored events. */
  authors(): PeerId[] {
    return [...this.chains.keys()]
  }

  /** An author's stored events with seq > `afterSeq`, by (seq, id). */
  eventsAfter(author: PeerId, afterSeq: number): StoredEvent[] {
    const out: StoredEvent[] = []
    for (const [seq, events] of this.chains.get(author) ?? []) if (seq > afterSeq) out.push(...events)
    return out.sort((a, b) => a.event.seq - b.event.seq || (a.id < b.id ? -1 : 1))
  }

  /** The ids stored at one (author, seq), sorted. */
  idsAt(author: PeerId, seq: number): EventId[] {
    return (this.chains.get(author)?.get(seq) ?? []).map((e) => e.id).sort()
  }

  /** Highest stored seq of an author (0 if none). */
  topSeq(author: PeerId): number {
    return this.tops.get(author) ?? 0
  }

  /** Quarantined authors and the seq their equivocation starts at. */
  quarantined(): ReadonlyMap<PeerId, number> {
    return this.forks
  }
}
