/**
 * How far behind the room a replica is (ms): the largest age, by their authors' clocks, of the
 * events it has stored lately. While a peer works through a backlog (a stalled process, a
 * catch-up) this is large, and its duties wait that much longer before they conclude another
 * peer stayed silent. Capped at a minute: an author's clock can be off, and the cost of
 * trusting it is only a later takeover.
 *
 * The estimate falls only on evidence. An event stored `age` behind counts for `age` after it
 * was stored: events written in the room meanwhile take about that long to arrive, so not
 * having stored any yet says nothing — a starved process stores nothing for seconds at a time
 * while still far behind. It stops counting earlier once `WINDOW` more events have been stored
 * after it: a process that goes on storing only fresh events has read past its backlog. And a
 * sync round that finds a peer holding nothing this replica lacks says it has read everything
 * stored before the round began (in a quiet room the only evidence there is).
 */
const LAG_CAP_MS = 60_000
/** Stored events after which an older one no longer counts: a few seconds of a busy room's traffic. */
const WINDOW = 64

export class Lag {
  /** The last WINDOW stored events' ages and when they were stored, as a ring. */
  private readonly ages = new Float64Array(WINDOW)
  private readonly at = new Float64Array(WINDOW)
  private next = 0
  private count = 0

  constructor(private readonly now: () => number) {}

  /** The current lag: the largest age among the recent stored events that still count. */
  get ms(): number {
    const now = this.now()
    let max = 0
    for (let i = 0; i < this.count; i++) {
      const age = this.ages[i]
      if (age > max && now - this.at[i] < age) max = age
    }
    return max
  }

  /** Events stored at or before `at` stop counting: this replica held all a peer had then. */
  caughtUp(at: number): void {
    for (let i = 0; i < this.count; i++) if (this.at[i] <= at) this.ages[i] = 0
  }

  /** Notes an event stored now that its author stamped at `time`. */
  note(time: number): void {
    const now = this.now()
    this.ages[this.next] = Math.min(LAG_CAP_MS, Math.max(0, now - time))
    this.at[this.next] = now
    this.next = (this.next + 1) % WINDOW
    this.count = Math.min(WINDOW, this.count + 1)
  }
}
