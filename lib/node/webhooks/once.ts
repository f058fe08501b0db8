/**
 * POSTs each item a room produces to a webhook once. Deliveries are retried with exponential
 * backoff; a delivery is marked durably in the store's metadata after the receiver acknowledged
 * it (2xx), so a restart resends only what was never acknowledged. A crash between the
 * acknowledgement and the mark can resend one item: each POST carries an `idempotency-key`.
 */
import type { RoomState } from '../../core/state/types'
import type { EventStore } from '../../storage/event-store'

/** One thing to deliver: its durable key and the JSON body. */
export interface WebhookItem<T> {
  key: string
  item: T
  body: unknown
}

export interface OnceWebhookInit<T> {
  url: string
  room: string
  store: Pick<EventStore, 'getMeta' | 'setMeta'>
  state: () => RoomState
  /** What there is to deliver in the current state, in delivery order. */
  items: (s: RoomState) => Array<WebhookItem<T>>
  /** The metadata key marking `key` as delivered. */
  markKey: (key: string) => string
  /** First retry delay (ms), doubled per attempt. @default 500 */
  backoffMs?: number
  /** @default 30000 */
  maxBackoffMs?: number
  /** Per-request time-out (ms). @default 10000 */
  timeoutMs?: number
  onDelivered?: (item: T, attempts: number) => void
  onError?: (item: T, err: Error, attempt: number) => void
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

/** See the module comment: `kick()` after each state change; `stop()` ends retries. */
export class OnceWebhook<T> {
  private readonly delivered = new Set<string>()
  private readonly queued = new Set<string>()
  private running = false
  private again = false
  private stopped = false
  private wake: (() => void) | null = null
  deliveries = 0

  constructor(private readonly init: OnceWebhookInit<T>) {}

  /** Looks for undelivered items and delivers them in the background. */
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
      for (const it of this.init.items(this.init.state())) {
        if (this.stopped) return
        if (this.delivered.has(it.key) || this.queued.has(it.key)) continue
        if ((await this.init.store.getMeta(this.init.room, this.init.markKey(it.key))) !== undefined) {
          this.delivered.add(it.key)
          continue
        }
        this.queued.add(it.key)
        try {
          await this.deliver(it)
        } finally {
          this.queued.delete(it.key)
        }
      }
    } while (this.again && !this.stopped)
  }

  private async deliver(it: WebhookItem<T>): Promise<void> {
    const base = this.init.backoffMs ?? 500
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.post(it)
        await this.init.store.setMeta(this.init.room, this.init.markKey(it.key), new Date().toISOString())
        this.delivered.add(it.key)
        this.deliveries++
        this.init.onDelivered?.(it.item, attempt)
        return
      } catch (err) {
        this.init.onError?.(it.item, err as Error, attempt)
        await this.sleep(Math.min(base * 2 ** (attempt - 1), this.init.maxBackoffMs ?? 30_000))
      }
    }
  }

  private async post(it: WebhookItem<T>): Promise<void> {
    const timeoutMs = this.init.timeoutMs ?? 10_000
    let res: Response
    try {
      res = await fetch(this.init.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${this.init.room}/${it.key}` },
        body: JSON.stringify(it.body),
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
