/** Messages grouped by consecutive author, each with its type and time; text is inert. */
import type { MessageState, RoomState } from '@/lib/core/state/types'
import type { MessageType } from '@/lib/core/events/kinds/message'
import { Badge, type Tone } from '@/components/ui/Badge'
import { peerName } from './names'

/** Badge colour per message type. */
export const MESSAGE_TONE: Record<MessageType, Tone> = { proposal: 'blue', question: 'grey', agreement: 'green', concern: 'red' }

/** Consecutive messages by the same author, as groups. */
export function groupByAuthor(messages: readonly MessageState[]): MessageState[][] {
  const groups: MessageState[][] = []
  for (const m of messages) {
    const last = groups[groups.length - 1]
    if (last && last[0].author === m.author) last.push(m)
    else groups.push([m])
  }
  return groups
}

const time = (t: number) => new Date(t).toLocaleTimeString()

/** The conversation of a session. */
export function Conversation({ state, messages }: { state: RoomState; messages: readonly MessageState[] }) {
  if (messages.length === 0) return <p className="text-sm text-muted">No messages yet.</p>
  return (
    <ol className="space-y-2" aria-label="Conversation">
      {groupByAuthor(messages).map((g) => (
        <li key={g[0].event} className="rounded border border-zinc-200 p-2 dark:border-zinc-800">
          <p className="text-xs font-medium">{peerName(state, g[0].author)}</p>
          <ul className="mt-1 space-y-1">
            {g.map((m) => (
              <li key={m.event} className="flex items-start gap-2 text-sm" data-testid="message" data-type={m.type}>
                <Badge tone={MESSAGE_TONE[m.type]}>{m.type}</Badge>
                <span className="min-w-0 flex-1 whitespace-pre-wrap break-words">{m.text}</span>
                <time className="shrink-0 text-xs text-muted" dateTime={new Date(m.time).toISOString()}>{time(m.time)}</time>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  )
}
