/**
 * Outcomes out (DESIGN §2, CHORUS's SLURP events): POSTs each finished session's outcome
 * record to a webhook once. Deliveries are retried with exponential backoff; a delivery is
 * marked durably in the store's metadata after the receiver acknowledged it (2xx), so a
 * restart resends only what was never acknowledged. A crash between the acknowledgement and
 * the mark can resend one record: each POST carries an `idempotency-key` for that case.
 */
import { selectOutcomes, type Outcome } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'
import type { EventStore } from '../../storage/event-store'

export interface OutcomeWebhookInit {
  url: string
  room: string
  store: Pick<EventStore, 'getMeta' | 'setMeta'>
  state: () => RoomState
  /** First retry delay (ms), doubled per attempt. @default 500 */
  backoffMs?: number
  /** @default 30000 */
  maxBackoffMs?: number
  /** Per-request time-out (ms). @default 10000 */
  timeoutMs?: number
  onDelivered?: (o: Outcome, attempts: number) => void
  onError?: (o: Outcome, err: Error, attempt: number) => void
}

/** A POST the receiver did not acknowledge. */
export class WebhookDeliveryError extends Error {
  static override name = 'WebhookDeliveryError'
  constructor(
    readonly reason: 'http' | 'network' | 'timeout',
    detail: string,
  ) {
    super(detail)
  }
}

/** The metadata key marking an outcome as delivered. */
export const deliveredKey = (session: string): string => `outcome-webhook/${session}`

/** See the module comment: `kick()` after each state change; `stop()` ends retries. */
export class OutcomeWebhook {
  private readonly delivered = new Set<string>()
  private readonly queued = new Set<string>()
  private running = false
  private again = false
  private stopped = false
  private wake: (() => void) | null = null
  deliveries = 0

  constructor(private readonly init: OutcomeWebhookInit) {}

  /** Looks for undelivered outcomes and delivers them in the background. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    void this.drain().finally(() => (this.running = false))
  }

  /** Stops; a delivery in its backoff wait gives up at once. */
  stop(): void {
    this.stopped = true
    this.wake?.()
  }

  private async drain(): Promise<void> {
    do {
      this.again = false
      for (const o of selectOutcomes(this.init.state())) {
        if (this.stopped) return
        if (this.delivered.has(o.session) || this.queued.has(o.session)) continue
        if ((await this.init.store.getMeta(this.init.room, deliveredKey(o.session))) !== undefined) {
          this.delivered.add(o.session)
          continue
        }
        this.queued.add(o.session)
        try {
          await this.deliver(o)
        } finally {
          this.queued.delete(o.session)
        }
      }
    } while (this.again && !this.stopped)
  }

  private async deliver(o: Outcome): Promise<void> {
    const base = this.init.backoffMs ?? 500
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.post(o)
        await this.init.store.setMeta(this.init.room, deliveredKey(o.session), new Date().toISOString())
        this.delivered.add(o.session)
        this.deliveries++
        this.init.onDelivered?.(o, attempt)
        return
      } catch (err) {
        this.init.onError?.(o, err as Error, attempt)
        await this.sleep(Math.min(base * 2 ** (attempt - 1), this.init.maxBackoffMs ?? 30_000))
      }
    }
  }

  private async post(o: Outcome): Promise<void> {
    const timeoutMs = this.init.timeoutMs ?? 10_000
    let res: Response
    try {
      res = await fetch(this.init.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${this.init.room}/${o.session}` },
        body: JSON.stringify({ type: 'chorus.outcome', room: this.init.room, outcome: o }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (err) {
      const e = err as Error
      throw new WebhookDeliveryError(e.name === 'TimeoutError' ? 'timeout' : 'network', e.message)
    }
    await res.arrayBuffer().catch(() => undefined)
    if (!res.ok) throw new WebhookDeliveryError('http', `HTTP ${res.status}`)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms)
      function done() {
        clearTimeout(t)
        resolve()
      }
      this.wake = done
    })
  }
}
