/**
 * Sync summaries (DESIGN §4): per author `(seq, head id)` — the replica's version vector —
 * and a Merkle root over it. Equal roots mean equal event sets. For a quarantined author the
 * entry is the fork seq and a digest of everything stored from there, so replicas keep
 * exchanging evidence until they hold the same forks.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { encodeCanonical } from '../events/codec'
import type { EncodedEvent } from '../events/envelope'
import type { EventId, PeerId } from '../ids'
import type { EventLog } from './log'
import { merkleRoot } from './merkle'

export interface AuthorSummary {
  author: PeerId
  seq: number
  head: EventId
  /** Present for a quarantined author: hex digest of its sorted event ids from `seq` on. */
  forked?: string
}

export interface Summary {
  root: string
  authors: AuthorSummary[]
}

/** The leaf of one author's entry in the Merkle tree. */
export const leafOf = (a: AuthorSummary): Uint8Array => encodeCanonical([a.author, a.seq, a.head, a.forked ?? null])

/** One author's entry: its top seq and head, or for a quarantined author the fork and its digest. */
export function authorSummary(log: EventLog, author: PeerId): AuthorSummary {
  const fork = log.quarantined().get(author)
  if (fork === undefined) {
    const seq = log.topSeq(author)
    return { author, seq, head: log.idsAt(author, seq)[0] }
  }
  const ids = log.eventsAfter(author, fork - 1).map((e) => e.id).sort()
  return { author, seq: fork, head: log.idsAt(author, fork)[0], forked: bytesToHex(sha256(encodeCanonical(ids))) }
}

/**
 * The log's summary: one entry per author, sorted by author, and its Merkle root, computed
 * from scratch (a replica keeps it up to date instead: live-summary.ts).
 */
export function summarize(log: EventLog): Summary {
  const authors = log
    .authors()
    .sort()
    .map((author) => authorSummary(log, author))
  return { root: merkleRoot(authors.map(leafOf)), authors }
}

const same = (a: AuthorSummary, b: AuthorSummary): boolean => a.seq === b.seq && a.head === b.head && a.forked === b.forked

/**
 * Events a peer with summary `remote` may lack, oldest first per author. Over-sends on forks
 * and divergence (duplicates are free) rather than risk missing evidence. Events parked here
 * for missing references are offered too (after the stored ones): the peer may hold the
 * references, and otherwise every gap in a chain would cost another round trip.
 * One exchange in each direction brings two replicas to equal roots (without forks).
 * `local`: the log's current summary, when the caller already holds it.
 */
export function eventsMissingFrom(log: EventLog, remote: Summary, local: Summary = summarize(log)): EncodedEvent[] {
  const theirs = new Map(remote.authors.map((a) => [a.author, a]))
  const out: EncodedEvent[] = []
  for (const mine of local.authors) {
    const other = theirs.get(mine.author)
    if (other && same(mine, other)) continue
    // A longer unforked chain over there: they send us theirs, and a fork (if any) shows up here.
    if (other && !mine.forked && !other.forked && other.seq > mine.seq) continue
    let after = 0
    if (other && !mine.forked && !other.forked && other.seq < mine.seq && log.idsAt(mine.author, other.seq).includes(other.head)) {
      after = other.seq
    } else if (other && mine.forked) {
      after = Math.max(0, Math.min(other.seq, mine.seq) - 1)
    }
    out.push(...log.eventsAfter(mine.author, after))
  }
  // All parked events, when anything differs: then after one exchange both sides hold the same
  // union (stored or parked), and since admission is order-independent, the same stored set.
  if (out.length > 0 || remote.root !== local.root) out.push(...log.pendingEvents())
  return out
}
