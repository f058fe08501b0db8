/**
 * How far behind the room a replica is (ms): the age, by their authors' clocks, of the oldest
 * event it has just stored, halving every second after. While a peer works through a backlog
 * (a stalled process, a catch-up) this is large, and its duties wait that much longer before
 * they conclude another peer stayed silent. Capped at a minute: an author's clock can be off,
 * and the cost of trusting it is only a later takeover.
 */
const LAG_CAP_MS = 60_000

export class Lag {
  private lag = 0
  private at = 0

  constructor(private readonly now: () => number) {}

  /** The current lag, decayed since the last stored event. */
  get ms(): number {
    return this.lag * 0.5 ** (Math.max(0, this.now() - this.at) / 1000)
  }

  /** Notes an event stored now that its author stamped at `time`. */
  note(time: number): void {
    const now = this.now()
    this.lag = Math.max(Math.min(LAG_CAP_MS, Math.max(0, now - time)), this.ms)
    this.at = now
  }
}
