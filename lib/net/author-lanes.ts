/**
 * How many events of one author, from one forwarder, are in the replica host at once. Gossip
 * runs one validator per message and every one of them enters the host's lane, which is
 * first-come first-served: a member's backlog (a flood's burst, which the author budget admits
 * up to its burst size) filled it, and an honest event that arrived after it waited for every
 * one of them to be verified, folded and written. Here each (author, forwarder) pair has at most
 * `perLane` events in the host; the rest wait in their own queue, so another author's event
 * enters the host behind at most `perLane` of any one author's. The key includes the forwarder
 * because the author is read from the header, unverified: a forger naming an honest author
 * queues behind its own claims, never in front of that author's real events.
 */

/** See the module comment. `enter(key)` resolves to the function that leaves the lane. */
export class AuthorLanes {
  private readonly active = new Map<string, number>()
  private readonly waiting = new Map<string, Array<() => void>>()
  /** Callers that had to wait for their lane (for tests and metrics). */
  queued = 0

  constructor(private readonly perLane = 16) {
    if (!(perLane >= 1)) throw new RangeError('perLane must be ≥ 1')
  }

  /** Resolves once `key` has room in the host; call the returned function when the event is out. */
  async enter(key: string): Promise<() => void> {
    const n = this.active.get(key) ?? 0
    if (n < this.perLane) this.active.set(key, n + 1)
    else {
      this.queued++
      // The slot is handed over by `leave`, so the count stays at perLane while anyone waits.
      await new Promise<void>((resolve) => {
        const q = this.waiting.get(key)
        if (q == null) this.waiting.set(key, [resolve])
        else q.push(resolve)
      })
    }
    let left = false
    return () => {
      if (left) return
      left = true
      this.leave(key)
    }
  }

  /** Events of `key` in the host now (for tests). */
  inside(key: string): number {
    return this.active.get(key) ?? 0
  }

  private leave(key: string): void {
    const q = this.waiting.get(key)
    const next = q?.shift()
    if (q != null && q.length === 0) this.waiting.delete(key)
    if (next != null) return next()
    const n = (this.active.get(key) ?? 1) - 1
    if (n > 0) this.active.set(key, n)
    else this.active.delete(key)
  }
}
