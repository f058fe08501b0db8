/**
 * The latest of a burst of values, applied once on the next macrotask. The replica reports each
 * folded batch; a catch-up or a replay folds several in one task, and each report re-renders
 * every view of the room. Applied a turn later, a task's reports become one render, in a task
 * of its own rather than inside the fold's.
 */
import { nextTurn } from '@/lib/net/turn'

/** A coalescing buffer in front of `apply`; `cancel` drops what is waiting and stops it. */
export function coalesced<T>(apply: (value: T) => void): { push(value: T): void; cancel(): void } {
  let waiting: { value: T } | null = null
  let scheduled = false
  let cancelled = false
  const flush = () => {
    scheduled = false
    const w = waiting
    waiting = null
    if (w && !cancelled) apply(w.value)
  }
  return {
    push(value) {
      if (cancelled) return
      waiting = { value }
      if (scheduled) return
      scheduled = true
      void nextTurn().then(flush)
    },
    cancel() {
      cancelled = true
      waiting = null
    },
  }
}
