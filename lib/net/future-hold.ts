/**
 * Events stamped a little ahead of this peer's clock, held until their time and then offered
 * again: the log admits only what is (nearly) due, so one member's fast clock cannot age a
 * session early, yet an honest peer whose clock runs slightly ahead loses nothing. Bounded in
 * all and per author, so forged future stamps cannot fill it for everyone.
 */
import { decodeEvent } from '../core/events/codec'

interface Held {
  bytes: Uint8Array
  author: string
  due: number
}

export interface FutureHoldInit {
  now: () => number
  /** Events stamped further ahead than this are dropped. */
  windowMs: number
  max: number
  maxPerAuthor: number
  /** Takes the events that came due; its failures are its own to report. */
  release(events: Uint8Array[]): Promise<unknown>
}

/** See the module comment. */
export class FutureHold {
  private readonly held = new Map<string, Held>()
  private readonly perAuthor = new Map<string, number>()
  private timer?: ReturnType<typeof setTimeout>
  /** Events dropped because the hold (or the author's share) was full or they were too far ahead. */
  dropped = 0

  constructor(private readonly o: FutureHoldInit) {}

  /** Number of events waiting. */
  get size(): number {
    return this.held.size
  }

  /** Holds an event the log refused as `clock_ahead`, if waiting can make it due. */
  offer(bytes: Uint8Array, id: string | undefined): void {
    const decoded = decodeEvent(bytes)
    if (!decoded.ok || id == null || this.held.has(id)) return
    const { author, time } = decoded.value.event
    // Not stamped in the future: a Lamport jump beyond its references, which waiting cannot fix.
    const now = this.o.now()
    if (time <= now) return
    const mine = this.perAuthor.get(author) ?? 0
    if (time > now + this.o.windowMs || this.held.size >= this.o.max || mine >= this.o.maxPerAuthor) {
      this.dropped++
      return
    }
    this.held.set(id, { bytes, author, due: time })
    this.perAuthor.set(author, mine + 1)
    this.schedule()
  }

  /** Stops the timer (the peer is shutting down). */
  close(): void {
    clearTimeout(this.timer)
  }

  private schedule(): void {
    clearTimeout(this.timer)
    if (this.held.size === 0) return
    let next = Infinity
    for (const h of this.held.values()) next = Math.min(next, h.due)
    this.timer = setTimeout(() => void this.releaseDue(), Math.max(50, next - this.o.now()))
  }

  private async releaseDue(): Promise<void> {
    const now = this.o.now()
    const due: Uint8Array[] = []
    for (const [id, h] of this.held) {
      if (h.due > now) continue
      this.held.delete(id)
      const left = (this.perAuthor.get(h.author) ?? 1) - 1
      if (left > 0) this.perAuthor.set(h.author, left)
      else this.perAuthor.delete(h.author)
      due.push(h.bytes)
    }
    if (due.length > 0) await this.o.release(due)
    this.schedule()
  }
}
