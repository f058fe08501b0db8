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
 */
import { nextTurn } from '@/lib/net/turn'

export interface CoalesceOptions {
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
  /** Hears an apply that threw; later values are applied all the same. @default console.error */
  onError?: (err: unknown) => void
}

const documentHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden'
const waitMs = (ms: number) => (ms <= 0 ? nextTurn() : new Promise<void>((r) => setTimeout(r, ms)))

/** A coalescing, paced buffer in front of `apply`; `cancel` drops what is waiting and stops it. */
export function coalesced<T>(apply: (value: T) => void, o: CoalesceOptions = {}): { push(value: T): void; cancel(): void } {
  const share = o.share ?? 0.1
  const maxGap = o.maxGapMs ?? 250
  const hiddenGap = o.hiddenGapMs ?? 1000
  const hidden = o.hidden ?? documentHidden
  const now = o.now ?? (() => performance.now())
  const wait = o.wait ?? waitMs
  const onError = o.onError ?? ((err: unknown) => console.error('applying a change of the room failed', err))
  let waiting: { value: T } | null = null
  let scheduled = false
  let cancelled = false
  /** No apply before this time. */
  let notBefore = -Infinity
  const schedule = () => {
    scheduled = true
    void wait(notBefore - now())
      .then(flush)
      .catch((err: unknown) => onError(err))
  }
  const flush = async () => {
    const w = waiting
    waiting = null
    if (w == null || cancelled) return void (scheduled = false)
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
    const cost = now() - start
    // The gap after this apply ended: its share's worth, within the bounds.
    const gap = cost / share - cost
    notBefore = start + cost + (hidden() ? Math.max(hiddenGap, gap) : Math.min(maxGap, gap))
    if (waiting != null && !cancelled) schedule()
    else scheduled = false
    if (failed != null) throw failed
  }
  return {
    push(value) {
      if (cancelled) return
      waiting = { value }
      if (!scheduled) schedule()
    },
    cancel() {
      cancelled = true
      waiting = null
    },
  }
}
