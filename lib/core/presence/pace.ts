/**
 * How often a peer beats as its room grows (ADR 0092). Every member's beat reaches every other
 * member, so at a fixed interval each peer receives, verifies and pays the bytes of N beats per
 * interval, and the room N². Past `baseMs / msPerPeer` peers the interval grows with the peers
 * heard, so each peer receives at most about one beat per `msPerPeer` whatever N, up to
 * `maxMs` (liveness is judged in the sender's own intervals, so a crashed peer is suspected
 * after three of them: the cap bounds that). The interval is a whole number of base intervals,
 * so a peer that ticks every base interval beats on one of its ticks.
 */

/** Default budget: each peer receives about one beat per this many ms (20 a second). */
export const MS_PER_PEER = 50
/** Default longest interval between a peer's beats (ms). */
export const MAX_BEAT_INTERVAL_MS = 30_000

export interface PaceOptions {
  /** Beat budget per peer heard (ms); 0 keeps the base interval. @default MS_PER_PEER */
  msPerPeer?: number
  /** Longest interval (ms), rounded down to a whole number of base intervals (at least one). @default MAX_BEAT_INTERVAL_MS */
  maxMs?: number
}

/** The beat interval (ms) of a peer that hears `peers` others, for the room's `baseMs`; see the module comment. */
export function beatInterval(baseMs: number, peers: number, opts: PaceOptions = {}): number {
  const msPerPeer = opts.msPerPeer ?? MS_PER_PEER
  const most = Math.max(1, Math.floor((opts.maxMs ?? MAX_BEAT_INTERVAL_MS) / baseMs))
  const wanted = Math.round(((peers + 1) * msPerPeer) / baseMs)
  return baseMs * Math.min(most, Math.max(1, wanted))
}

/**
 * The pace a peer's beat announces, as far as it is believed (ms): at most twice the pace this
 * peer would keep hearing `peers` others. Peers of one room hear about as many others, and a
 * longer announcement would let a member of a small room stay alive, and keep its duties, long
 * after it stopped. Undefined (the room's interval is assumed) when the beat announces none.
 */
export function credibleInterval(announced: number | undefined, baseMs: number, peers: number, opts: PaceOptions = {}): number | undefined {
  return announced === undefined ? undefined : Math.min(announced, 2 * beatInterval(baseMs, peers, opts))
}
