/**
 * Per-peer token buckets (docs/design.md §4): bound how many messages and bytes a peer may
 * make us process per second, so a flooding peer costs us a bounded amount of verification and
 * storage whatever it sends. The clock is monotonic (clock.ts): a wall clock stepped back by NTP
 * would otherwise leave every bucket empty for as long as the step. Tests inject their own.
 */
import { monotonic } from './clock'

/** A classic token bucket: `ratePerSec` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly now: () => number = monotonic,
  ) {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst ≥ 1')
    this.tokens = burst
    this.last = now()
  }

  /** Takes `n` tokens if there are enough; false (and takes none) otherwise. */
  take(n = 1): boolean {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec)
    this.last = t
    if (this.tokens < n) return false
    this.tokens -= n
    return true
  }
}

export interface PeerLimits {
  messagesPerSec: number
  messageBurst: number
  bytesPerSec: number
  byteBurst: number
}

/**
 * Defaults per *forwarding* peer: only a guard against a connection that sends more than any
 * honest neighbour could (checked before anything is decoded). A relay forwards every member's
 * events, so this must sit well above the sum of the per-author budgets of a busy room
 * (ADR 0061); what bounds a flooding member is its budget as an author.
 */
export const DEFAULT_PEER_LIMITS: PeerLimits = {
  messagesPerSec: 1000,
  messageBurst: 4000,
  bytesPerSec: 8 * 1024 * 1024,
  byteBurst: 32 * 1024 * 1024,
}

/** Token buckets per peer id, with a cap on how many peers are remembered. */
export class PeerRateLimiter {
  private readonly peers = new Map<string, { messages: TokenBucket; bytes: TokenBucket }>()
  /** Messages refused, per peer id (for metrics and the peers view). */
  readonly refused = new Map<string, number>()

  constructor(
    readonly limits: PeerLimits = DEFAULT_PEER_LIMITS,
    private readonly now: () => number = monotonic,
    private readonly maxPeers = 10_000,
  ) {}

  /** True if `peer` may send a message of `bytes` now; counts a refusal otherwise. */
  allow(peer: string, bytes: number): boolean {
    let b = this.peers.get(peer)
    if (b == null) {
      if (this.peers.size >= this.maxPeers) this.peers.delete(this.peers.keys().next().value as string)
      b = {
        messages: new TokenBucket(this.limits.messagesPerSec, this.limits.messageBurst, this.now),
        bytes: new TokenBucket(this.limits.bytesPerSec, this.limits.byteBurst, this.now),
      }
      this.peers.set(peer, b)
    }
    // Check both before taking either, so a refused message costs no tokens.
    if (b.messages.take(1) && b.bytes.take(bytes)) return true
    this.refused.set(peer, (this.refused.get(peer) ?? 0) + 1)
    return false
  }
}

export interface AuthorLimits {
  /** Events per second an author may make us store, steady. */
  perSec: number
  /** Saved-up allowance, and also the slack given to events a peer forwards for someone else. */
  burst: number
}

/**
 * Well above an honest author's rate (a busy agent writes a few events a second, a plan a few
 * dozen at once), and a burst of one second's worth: an author that never writes more than
 * `perSec` events within a second is never refused, while a flooding member can make every peer
 * take in at most two seconds' worth within its first second (ADR 0105) — a saved-up burst is
 * work every peer does at once, on the same cores as everybody's honest events.
 */
export const DEFAULT_AUTHOR_LIMITS: AuthorLimits = { perSec: 100, burst: 100 }

/**
 * Budgets per event *author* (ADR 0061). Two rules keep an unverified author claim from hurting
 * the author it names:
 * - `allows` only reads the budget (it is asked with the header's claim, before verifying);
 * - `charge` is called only for events whose signature verified (accepted, parked as pending,
 *   equivocation evidence) and that were new here, so forged or replayed events spend nobody's
 *   budget.
 * Charges may run the budget into debt (events verified concurrently, e.g. a backlog through
 * several forwarders); the debt is what was really admitted over the budget, never forgiven,
 * and an author in debt is refused until it is paid back.
 *
 * Events that reach us from their author directly (the first hop) must fit the budget;
 * events forwarded by another peer get `burst` of slack: an honest forwarder has already
 * applied the same budget, and without slack the jitter between its clock and ours would make
 * us drop the tail of what it admitted, which honest events then reference.
 */
export class AuthorBudget {
  private readonly authors = new Map<string, { tokens: number; last: number }>()
  /** Events refused, per author (for metrics and the peers view). */
  readonly refused = new Map<string, number>()

  constructor(
    readonly limits: AuthorLimits = DEFAULT_AUTHOR_LIMITS,
    private readonly now: () => number = monotonic,
    private readonly maxAuthors = 10_000,
  ) {
    if (!(limits.perSec > 0) || !(limits.burst >= 1)) throw new RangeError('rate must be > 0 and burst ≥ 1')
  }

  /** Tokens `author` has now (burst for an author never charged). */
  tokens(author: string): number {
    const b = this.authors.get(author)
    if (b == null) return this.limits.burst
    const t = this.now()
    b.tokens = Math.min(this.limits.burst, b.tokens + ((t - b.last) / 1000) * this.limits.perSec)
    b.last = t
    return b.tokens
  }

  /**
   * True if an event claiming `author` may be processed now, given `planned` more of its events
   * already let through and not yet charged. `forwarded`: it came from a peer other than the
   * author. Counts a refusal otherwise. Never changes the budget.
   */
  allows(author: string, forwarded: boolean, planned = 0): boolean {
    const floor = forwarded ? 1 - this.limits.burst : 1
    if (this.tokens(author) - planned >= floor) return true
    if (this.refused.size >= this.maxAuthors) this.refused.clear()
    this.refused.set(author, (this.refused.get(author) ?? 0) + 1)
    return false
  }

  /** True while `author` is in debt: it has recently sent more than its budget. */
  overBudget(author: string): boolean {
    return this.tokens(author) < 0
  }

  /** Charges `n` events whose signature by `author` verified. */
  charge(author: string, n = 1): void {
    let b = this.authors.get(author)
    if (b == null) {
      if (this.authors.size >= this.maxAuthors) this.evict()
      b = { tokens: this.limits.burst, last: this.now() }
      this.authors.set(author, b)
    } else {
      this.tokens(author)
    }
    b.tokens -= n
  }

  /**
   * Forgets authors whose budget is full again (nothing lost); if that frees less than a tenth,
   * the oldest tenth too, so that the scan runs at most once per maxAuthors / 10 new authors.
   */
  private evict(): void {
    for (const a of [...this.authors.keys()]) if (this.tokens(a) >= this.limits.burst) this.authors.delete(a)
    const target = this.maxAuthors - Math.max(1, Math.floor(this.maxAuthors / 10))
    for (const a of this.authors.keys()) {
      if (this.authors.size <= target) break
      this.authors.delete(a)
    }
  }
}
