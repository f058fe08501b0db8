/**
 * `session.message`. When the author gives no type it is classified from the text with
 * CHORUS's keywords (agree, sounds good, approved, looks good, confirmed …), matched as whole
 * words and phrases, with negation ("don't agree") read as a concern.
 */
import { z } from 'zod'
import { eventIdSchema, sessionIdSchema } from './common'

export const MESSAGE_TYPES = ['proposal', 'question', 'agreement', 'concern'] as const
export type MessageType = (typeof MESSAGE_TYPES)[number]

export const sessionMessageSchema = z.object({
  session: sessionIdSchema,
  text: z.string().min(1).max(4000),
  type: z.enum(MESSAGE_TYPES).optional(),
  /** The event this replies to (a plan version, a message). */
  re: eventIdSchema.optional(),
})
export type SessionMessage = z.infer<typeof sessionMessageSchema>

const AGREEMENT = ['agree', 'agreed', 'agrees', 'sounds good', 'approved', 'approve', 'looks good', 'lgtm', 'confirmed', 'confirm', 'accepted', 'accept', 'ok with this', 'works for me']
const CONCERN = ['concern', 'concerned', 'concerns', 'issue', 'issues', 'problem', 'problems', 'risk', 'risky', 'disagree', 'disagreed', 'object', 'objection', 'blocker', 'blocked', 'wrong']
const NEGATION = ['not', "don't", 'dont', 'do not', "can't", 'cannot', 'no', 'never', "doesn't", "isn't", "won't", 'without']
const QUESTION_START = ['what', 'why', 'how', 'when', 'where', 'which', 'who', 'should', 'could', 'can', 'would', 'is', 'are', 'do', 'does']

/** Lower-case words, with clause punctuation kept as tokens so negation does not cross it. */
const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9']+|[.,;:!?]/g) ?? []

/** Index of the first occurrence of a whole-word phrase in the word list, or -1. */
function find(ws: readonly string[], phrase: string): number {
  const p = phrase.split(' ')
  for (let i = 0; i + p.length <= ws.length; i++) if (p.every((w, j) => ws[i + j] === w)) return i
  return -1
}

/** Every index where a whole-word phrase occurs. */
function findAll(ws: readonly string[], phrase: string): number[] {
  const out: number[] = []
  for (let from = 0; ; ) {
    const i = find(ws.slice(from), phrase)
    if (i < 0) return out
    out.push(from + i)
    from += i + 1
  }
}

const CLAUSE_BREAK = /^[.,;:!?]$/

/** True if a negation occurs within four words before `at`, in the same clause. */
function negatedBefore(ws: readonly string[], at: number): boolean {
  let start = at
  while (start > 0 && at - start < 4 && !CLAUSE_BREAK.test(ws[start - 1])) start--
  const window = ws.slice(start, at)
  return NEGATION.some((n) => find(window, n) >= 0)
}

/** Classify free text into a message type (used when the author gives none). */
export function classifyMessage(text: string): MessageType {
  const ws = words(text)
  const agreement = AGREEMENT.map((a) => find(ws, a)).filter((i) => i >= 0)
  if (agreement.some((i) => negatedBefore(ws, i))) return 'concern'
  // "no problem", "without issues" are not concerns.
  if (CONCERN.some((c) => findAll(ws, c).some((i) => !negatedBefore(ws, i)))) return 'concern'
  if (agreement.length > 0) return 'agreement'
  if (text.includes('?') || (ws.length > 0 && QUESTION_START.includes(ws[0]))) return 'question'
  return 'proposal'
}

/** The type a message counts as: the author's, else the classified one. */
export const messageType = (m: Pick<SessionMessage, 'text' | 'type'>): MessageType => m.type ?? classifyMessage(m.text)
