/**
 * Clocks for timers, budgets and waits. Wall time (`Date.now`) jumps when NTP steps it, so
 * anything that measures an interval uses a monotonic clock instead, injectable for tests.
 *
 * `stallAware` goes further for decisions about *other* peers (is it dead? should I take over
 * its duty?): time this process was not running — its event loop blocked, the process
 * stopped, the machine suspended — must not count as time the others had to speak, because
 * their messages sat unread in our sockets meanwhile. Each read advances the clock by at most
 * `maxStepMs`, so after a stall the process first reads its backlog before it may conclude
 * anything (Lifeguard's local health awareness, in its simplest form).
 */

/** Milliseconds from an arbitrary origin; only differences mean anything. */
export type Clock = () => number

/** `performance.now()`: monotonic, never stepped by NTP. */
export const monotonic: Clock = () => performance.now()

/** A clock that advances like `base` but at most `maxStepMs` between two reads; see the module comment. */
export function stallAware(maxStepMs: number, base: Clock = monotonic): Clock {
  let last = base()
  let value = last
  return () => {
    const t = base()
    value += Math.min(Math.max(0, t - last), maxStepMs)
    last = t
    return value
  }
}
