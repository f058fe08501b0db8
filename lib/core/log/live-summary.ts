/**
 * A log's sync summary kept up to date as events are stored, instead of computed from scratch
 * on every read: each stored event changes only its author's entry, so a read after a change
 * costs that author's entry and the hashes on its leaf's path to the root, not one entry and
 * leaf per author. Equal to `summarize(log)` at every read (live-summary.test.ts).
 */
import type { PeerId } from '../ids'
import type { EventLog } from './log'
import { MerkleTree } from './merkle'
import { authorSummary, leafOf, type AuthorSummary, type Summary } from './summary'

/** The summary of one log, told which authors' entries changed. */
export class LiveSummary {
  /** Authors with an entry, sorted as `summarize` sorts them, and their entries in that order. */
  private readonly authors: PeerId[] = []
  private entries: AuthorSummary[] = []
  private readonly tree = new MerkleTree()
  private readonly touched = new Set<PeerId>()
  private current: Summary | undefined

  constructor(private readonly log: EventLog) {
    for (const author of log.authors()) this.touched.add(author)
  }

  /** The author's entry may have changed: an event of theirs was stored, or they were quarantined. */
  touch(author: PeerId): void {
    this.touched.add(author)
    this.current = undefined
  }

  /** The summary now; the same object until the next change. Treat as read-only. */
  summary(): Summary {
    if (this.current) return this.current
    // A summary handed out earlier keeps its own array: callers may hold it across changes.
    this.entries = this.entries.slice()
    for (const author of this.touched) this.update(author)
    this.touched.clear()
    return (this.current = { root: this.tree.root(), authors: this.entries })
  }

  private update(author: PeerId): void {
    const entry = authorSummary(this.log, author)
    const i = this.positionOf(author)
    if (this.authors[i] === author) {
      this.entries[i] = entry
      this.tree.set(i, leafOf(entry))
    } else {
      this.authors.splice(i, 0, author)
      this.entries.splice(i, 0, entry)
      this.tree.insert(i, leafOf(entry))
    }
  }

  /** Where `author` is, or would go, in the sorted list (the order of `Array.prototype.sort`). */
  private positionOf(author: PeerId): number {
    let a = 0
    let b = this.authors.length
    while (a < b) {
      const m = (a + b) >>> 1
      if (this.authors[m] < author) a = m + 1
      else b = m
    }
    return a
  }
}
