/**
 * Outcomes out (DESIGN §2, CHORUS's SLURP events): POSTs each finished session's outcome
 * record to a webhook once, with the retries and durable marks of `OnceWebhook`
 * (`lib/node/webhooks/once.ts`). Body: `{type: "chorus.outcome", room, outcome}`.
 */
import { selectOutcomes, type Outcome } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'
import type { EventStore } from '../../storage/event-store'
import { OnceWebhook } from '../webhooks/once'

export { WebhookDeliveryError } from '../webhooks/once'

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

/** The metadata key marking an outcome as delivered. */
export const deliveredKey = (session: string): string => `outcome-webhook/${session}`

/** `kick()` after each state change; `stop()` ends retries. */
export class OutcomeWebhook extends OnceWebhook<Outcome> {
  constructor(init: OutcomeWebhookInit) {
    super({
      ...init,
      items: (s) => selectOutcomes(s).map((o) => ({ key: o.session, item: o, body: { type: 'chorus.outcome', room: init.room, outcome: o } })),
      markKey: deliveredKey,
    })
  }
}
