/**
 * Per-peer token buckets (DESIGN §4, issue 6): bound how many messages and bytes a peer may
 * make us process per second, so a flooding peer costs us a bounded amount of verification and
 * storage whatever it sends. The clock is injected for tests.
 */

/** A classic token bucket: `ratePerSec` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
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

/** Defaults: far above an honest peer's rate (a busy agent writes a few events a second). */
export const DEFAULT_PEER_LIMITS: PeerLimits = {
  messagesPerSec: 100,
  messageBurst: 500,
  bytesPerSec: 2 * 1024 * 1024,
  byteBurst: 8 * 1024 * 1024,
}

/** Token buckets per peer id, with a cap on how many peers are remembered. */
export class PeerRateLimiter {
  private readonly peers = new Map<string, { messages: TokenBucket; bytes: TokenBucket }>()
  /** Messages refused, per peer id (for metrics and the peers view). */
  readonly refused = new Map<string, number>()

  constructor(
    readonly limits: PeerLimits = DEFAULT_PEER_LIMITS,
    private readonly now: () => number = Date.now,
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
