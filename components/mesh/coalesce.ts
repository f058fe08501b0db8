/**
 * The latest of a burst of values, applied on a later macrotask, and paced. The replica reports
 * each folded batch; a catch-up or a replay folds several in one task, and each report
 * re-renders every view of the room. Applied a turn later, a task's reports become one render,
 * in a task of its own rather than inside the fold's.
 *
 * In a busy room events arrive one per task, many a second, and a render per event would keep
 * the tab's thread busy with views nobody can read that fast. So the applies get at most a
 * share of the thread: an apply's cost is the time from its start to the second turn after it
 * (its render, and the effects that render queued), and the next apply waits until that cost is
 * that share of the time since — but while the tab is visible never more than a quarter second
 * after the apply ended, so a request for a human is shown (and notified) within a second of
 * arriving. A quiet tab applies an event on the next turn; a busy one shows the latest
 * state a few times a second. While the document is hidden, at most once a second.
 *
 * A value that `urgent` says must not wait (one carrying a request for a human) goes past the
 * pacing: a push the pacing holds back is looked at on the next turn, and an urgent one is
 * applied on the turn after, or right after the apply under way, hidden or not.
 */
import { nextTurn } from '@/lib/net/turn'

export interface CoalesceOptions<T = unknown> {
  /** The share of the thread the applies may take (0 < share ≤ 1). @default 0.1 */
  share?: number
  /** The most time between two applies while visible (ms): a request for a human is shown and notified within it. @default 250 */
  maxGapMs?: number
  /** The least time between two applies while `hidden()` (ms). @default 1000 */
  hiddenGapMs?: number
  hidden?: () => boolean
  now?: () => number
  /** Resolves after `ms` (0: on the next turn). */
  wait?: (ms: number) => Promise<void>
  /**
   * True for a value that must not wait for the pacing. Asked at most once a turn, on the turn
   * after a push that the pacing holds back, about the latest value.
   */
  urgent?: (value: T) => boolean
  /** Hears an apply that threw; later values are applied all the same. @default console.error */
  onError?: (err: unknown) => void
}

const documentHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden'
const waitMs = (ms: number) => (ms <= 0 ? nextTurn() : new Promise<void>((r) => setTimeout(r, ms)))

/** A coalescing, paced buffer in front of `apply`; `cancel` drops what is waiting and stops it. */
export function coalesced<T>(apply: (value: T) => void, o: CoalesceOptions<T> = {}): { push(value: T): void; cancel(): void } {
  const share = o.share ?? 0.1
  const maxGap = o.maxGapMs ?? 250
  const hiddenGap = o.hiddenGapMs ?? 1000
  const hidden = o.hidden ?? documentHidden
  const now = o.now ?? (() => performance.now())
  const wait = o.wait ?? waitMs
  const urgent = o.urgent
  const onError = o.onError ?? ((err: unknown) => console.error('applying a change of the room failed', err))
  let waiting: { value: T } | null = null
  /** A flush is waiting for its time, or running. */
  let scheduled = false
  let applying = false
  let cancelled = false
  /** No apply before this time. */
  let notBefore = -Infinity
  /** The latest wait: one that a later wait replaced flushes nothing when it ends. */
  let epoch = 0
  /** When the flush scheduled last is due. */
  let due = -Infinity
  let looking = false
  /** What waits must be applied without waiting for the pacing. */
  let rush = false
  const schedule = (ms: number) => {
    scheduled = true
    due = now() + Math.max(0, ms)
    const mine = ++epoch
    void wait(ms)
      .then(() => (mine === epoch ? flush() : undefined))
      .catch((err: unknown) => onError(err))
  }
  const look = () => {
    looking = false
    const w = waiting
    if (w == null || cancelled || rush || urgent == null || !urgent(w.value)) return
    rush = true
    // While an apply runs, it schedules the next one when it ends.
    if (!applying) schedule(0)
  }
  const flush = async () => {
    const w = waiting
    waiting = null
    rush = false
    if (w == null || cancelled) return void (scheduled = false)
    applying = true
    const start = now()
    // An apply that throws loses only its own value: the next push is applied as usual, or the
    // tab would show the state of that moment for good.
    let failed: unknown = null
    try {
      apply(w.value)
    } catch (err) {
      failed = err
    }
    // Two turns: React renders a store change in a microtask of this task and runs the effects
    // the render queued in a task of its own, posted during the render.
    await nextTurn()
    await nextTurn()
    applying = false
    const cost = now() - start
    // The gap after this apply ended: its share's worth, within the bounds.
    const gap = cost / share - cost
    notBefore = start + cost + (hidden() ? Math.max(hiddenGap, gap) : Math.min(maxGap, gap))
    if (waiting != null && !cancelled) schedule(rush ? 0 : notBefore - now())
    else scheduled = false
    if (failed != null) throw failed
  }
  return {
    push(value) {
      if (cancelled) return
      waiting = { value }
      if (!scheduled) schedule(notBefore - now())
      // Held back by the pacing (a wait, or an apply under way): looked at on the next turn.
      if (urgent != null && !rush && !looking && (applying || due > now())) {
        looking = true
        void wait(0)
          .then(look)
          .catch((err: unknown) => onError(err))
      }
    },
    cancel() {
      cancelled = true
      waiting = null
    },
  }
}
