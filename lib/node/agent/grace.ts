/**
 * The takeover wait of a duty (ADR 0070), adapted to how long the room takes to deliver. A
 * fixed grace period elects a second writer whenever the first one's event takes longer than
 * the grace to arrive, and on a loaded machine delivery took seconds: every copy added load
 * and made the next delivery slower. Like TCP's retransmission timer, the duty keeps a smoothed
 * delay and its variation from samples — how long an item this peer did not write waited here
 * until another peer's event settled it — and waits max(base, delay + 4 × variation), at most
 * `maxMs`. A peer whose beats arrive gets the long grace: `maxMs`, or the delay itself while
 * deliveries take longer than that (ADR 0087). A dead peer's items are not samples (this peer
 * writes those itself), so a crash does not stretch the wait; nor are a stuck live peer's,
 * which this peer takes over.
 */

/** See the module comment. */
export class AdaptiveGrace {
  private srtt?: number
  private rttvar = 0

  constructor(
    private readonly baseMs: number,
    private readonly maxMs = 8 * baseMs,
  ) {}

  /** An item another peer settled after it had been waiting here `ms`. */
  sample(ms: number): void {
    if (!(ms >= 0)) return
    if (this.srtt === undefined) {
      this.srtt = ms
      this.rttvar = ms / 2
      return
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms)
    this.srtt = 0.875 * this.srtt + 0.125 * ms
  }

  /**
   * The grace given to a peer whose beats still arrive (ms): the cap, or the smoothed delivery
   * delay when deliveries take longer than that (at most four times the cap). A peer that
   * beats is working; when its events have been taking longer than the cap to arrive here,
   * taking over at the cap writes a copy of nearly every item it holds.
   */
  get longMs(): number {
    if (this.srtt === undefined) return this.maxMs
    return Math.min(4 * this.maxMs, Math.max(this.maxMs, this.srtt + 4 * this.rttvar))
  }

  /** The grace period now (ms). */
  get ms(): number {
    if (this.srtt === undefined) return this.baseMs
    return Math.min(this.maxMs, Math.max(this.baseMs, this.srtt + 4 * this.rttvar))
  }
}
