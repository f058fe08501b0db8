/**
 * Requests for a human out: with `CHORUS_ESCALATION_WEBHOOK` the relay POSTs each new
 * escalation, approval request or plan awaiting quorum once, retried like the outcome webhook
 * (`OnceWebhook`). The body has a Slack-compatible `text` (an incoming-webhook URL works as is)
 * next to the structured request: `{type: "chorus.request", room, text, request, tasks}`.
 */
import { selectRequests, type HumanRequest } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'
import type { EventStore } from '../../storage/event-store'
import { OnceWebhook } from '../webhooks/once'

export interface EscalationWebhookInit {
  url: string
  room: string
  store: Pick<EventStore, 'getMeta' | 'setMeta'>
  state: () => RoomState
  /** Where the web app is, for a link in the text (e.g. http://127.0.0.1:3000). */
  appUrl?: string
  backoffMs?: number
  maxBackoffMs?: number
  timeoutMs?: number
  onDelivered?: (r: HumanRequest, attempts: number) => void
  onError?: (r: HumanRequest, err: Error, attempt: number) => void
}

/** The metadata key marking a request (by `requestKey`) as delivered. */
export const requestDeliveredKey = (id: string): string => `escalation-webhook/${id}`

const REASON: Record<string, string> = { message_limit: 'hit the message limit', duration: 'ran too long', requested: 'asked for a human' }

/** One line a chat channel shows: what is asked, about which tasks, why. */
export function requestText(s: RoomState, r: HumanRequest, appUrl?: string): string {
  const x = s.sessions.get(r.session)
  const tasks = (x?.tasks ?? []).map((t) => s.tasks.get(t)?.task.title ?? t).join(' ↔ ')
  const by = s.members.get(r.by)?.displayName ?? r.by
  const what =
    r.kind === 'approval' ? `Approval requested for plan v${r.planVersion}` :
    r.kind === 'quorum' ? `Plan v${r.planVersion} awaits approval (${r.approvals} of ${r.needed})` :
    `Escalated: the agents ${REASON[r.reason ?? ''] ?? 'could not settle'}${r.reason === 'message_limit' ? ` (${r.messages} messages, limit ${r.threshold})` : ''}`
  const note = r.note ? ` — ${by}: “${r.note}”` : ''
  const link = appUrl ? ` ${appUrl.replace(/\/$/, '')}/inbox` : ''
  return `${what}: ${tasks}${note}${link}`
}

/**
 * What makes a request one delivery: its session, whether it is an escalation or a plan awaiting
 * quorum, the plan version, and when the session last became active. Not the id of the event
 * that raised it: two agents that escalate one session at once raise one request, and the fold
 * may keep either escalation (a later-arriving one that sorts first replaces the other).
 */
export const requestKey = (r: HumanRequest): string => `${r.session}/${r.kind === 'quorum' ? 'quorum' : 'escalated'}/v${r.planVersion}/${r.activeSince}`

/** `kick()` after each state change; `stop()` ends retries. */
export class EscalationWebhook extends OnceWebhook<HumanRequest> {
  constructor(init: EscalationWebhookInit) {
    super({
      ...init,
      items: (s) =>
        selectRequests(s).map((r) => ({
          key: requestKey(r),
          item: r,
          body: { type: 'chorus.request', room: init.room, text: requestText(s, r, init.appUrl), request: r, tasks: (s.sessions.get(r.session)?.tasks ?? []).map((t) => s.tasks.get(t)?.task ?? { taskId: t }) },
        })),
      markKey: requestDeliveredKey,
    })
  }
}

/** The relay's escalation webhook when a URL is configured (`CHORUS_ESCALATION_WEBHOOK`), else null. */
export function escalationWebhook(init: Omit<EscalationWebhookInit, 'url'> & { url: string | undefined }): EscalationWebhook | null {
  if (!init.url) return null
  const url = init.url
  return new EscalationWebhook({
    appUrl: process.env.CHORUS_APP_URL,
    ...init,
    url,
    onError: (r, err, attempt) => console.warn(`escalation webhook: ${r.id} attempt ${attempt} failed: ${err.message}`),
  })
}
