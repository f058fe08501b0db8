/**
 * The agent's line protocol (`chorus-mesh agent --stdin`): one command per input line, one
 * JSON object per output line. A command is JSON — `{"op": "say", "session": "ses_…",
 * "type": "agreement", "text": "Looks good"}`, any operation of the catalogue by name, with an
 * optional `id` echoed back — or words for a person at a terminal: `say SESSION TYPE TEXT…`,
 * `complete TASK [NOTE…]`, `release TASK [REASON…]`, `ready TASK`, `sessions [mine|active|all]`,
 * `session ID`, `room`. Every result or refusal is a line; nothing on stdin is ever fatal.
 */
import { MESSAGE_TYPES } from '../../core/events/kinds/message'
import { operation } from '../ops/catalogue'
import { OpsError } from '../ops/errors'
import type { AgentOps } from '../ops/ops'

/** Short names a person types, mapped to catalogue operations. */
export const ALIASES: Readonly<Record<string, string>> = {
  claim: 'claim_task',
  complete: 'complete_task',
  release: 'release_task',
  say: 'reply',
  sessions: 'list_sessions',
  session: 'get_session',
  preview: 'preview_dependencies',
  wait: 'wait_for_activity',
  escalate: 'escalate',
  export: 'export_discussion',
}

/** A parsed command line: the operation and its arguments, or why it is not one. */
export type Command = { ok: true; id?: unknown; op: string; args: Record<string, unknown> } | { ok: false; id?: unknown; message: string }

const rest = (words: string[], from: number) => words.slice(from).join(' ')

/** Reads one input line as a command (see the module comment). */
export function parseCommand(line: string): Command | null {
  const text = line.trim()
  if (text === '' || text.startsWith('#')) return null
  if (text.startsWith('{')) {
    let value: Record<string, unknown>
    try {
      value = JSON.parse(text)
    } catch (e) {
      return { ok: false, message: `not JSON: ${(e as Error).message}` }
    }
    const { op, id, ...args } = value
    if (typeof op !== 'string') return { ok: false, id, message: 'a JSON command needs "op" (an operation name, e.g. "say" or "claim_task")' }
    return { ok: true, id, op: ALIASES[op] ?? op, args }
  }
  const words = text.split(/\s+/)
  const [verb, a, b] = words
  switch (verb) {
    case 'say':
      if (!a || !b || !(MESSAGE_TYPES as readonly string[]).includes(b) || words.length < 4) return { ok: false, message: `usage: say SESSION ${MESSAGE_TYPES.join('|')} TEXT…` }
      return { ok: true, op: 'reply', args: { session: a, type: b, text: rest(words, 3) } }
    case 'complete':
    case 'release': {
      if (!a) return { ok: false, message: `usage: ${verb} TASK [${verb === 'complete' ? 'NOTE' : 'REASON'}…]` }
      const extra = rest(words, 2)
      return { ok: true, op: `${verb}_task`, args: { taskId: a, ...(extra ? { [verb === 'complete' ? 'note' : 'reason']: extra } : {}) } }
    }
    case 'ready':
      return a ? { ok: true, op: 'ready', args: { taskId: a } } : { ok: false, message: 'usage: ready TASK' }
    case 'sessions':
      return { ok: true, op: 'list_sessions', args: a ? { scope: a } : {} }
    case 'session':
      return a ? { ok: true, op: 'get_session', args: { session: a } } : { ok: false, message: 'usage: session ID' }
    case 'escalate':
      return a && words.length > 2 ? { ok: true, op: 'escalate', args: { session: a, note: rest(words, 2) } } : { ok: false, message: 'usage: escalate SESSION NOTE…' }
    case 'room':
      return { ok: true, op: 'room', args: {} }
    default:
      return { ok: false, message: `unknown command "${verb}": say, complete, release, ready, sessions, session, escalate, room, or a JSON line {"op": …}` }
  }
}

/** Runs one command line against `ops`; resolves to the output line (null for a blank input). */
export async function runLine(ops: AgentOps, line: string): Promise<Record<string, unknown> | null> {
  const cmd = parseCommand(line)
  if (!cmd) return null
  const echo = cmd.id !== undefined ? { id: cmd.id } : {}
  if (!cmd.ok) return { event: 'error', ...echo, reason: 'invalid', message: cmd.message }
  const op = operation(cmd.op)
  if (!op) return { event: 'error', ...echo, op: cmd.op, reason: 'invalid', message: `no operation ${cmd.op}` }
  const parsed = op.input.safeParse(cmd.args)
  if (!parsed.success) {
    return { event: 'error', ...echo, op: op.name, reason: 'invalid', message: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(args)'}: ${i.message}`).join('; ') }
  }
  try {
    return { event: 'result', ...echo, op: op.name, result: await op.run(ops, parsed.data as never) }
  } catch (err) {
    return { event: 'error', ...echo, op: op.name, reason: err instanceof OpsError ? err.reason : 'failed', message: (err as Error).message }
  }
}
