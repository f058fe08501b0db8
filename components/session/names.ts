/** Display names for peers and tasks, with a readable fallback for unknown ids. */
import type { RoomState } from '@/lib/core/state/types'

/** A short form of a peer id: its last 6 characters. */
export const shortId = (peer: string): string => `…${peer.slice(-6)}`

/** The member's display name, or a short id if the peer is unknown. */
export const peerName = (s: RoomState | undefined, peer: string): string => s?.members.get(peer as never)?.displayName ?? shortId(peer)

/** The task's title, or its id if the task is unknown. */
export const taskTitle = (s: RoomState | undefined, taskId: string): string => s?.tasks.get(taskId)?.task.title ?? taskId

/** Repositories of the given tasks, distinct, in first-seen order. */
export function repositoriesOf(s: RoomState, taskIds: readonly string[]): string[] {
  const out: string[] = []
  for (const id of taskIds) {
    const repo = s.tasks.get(id)?.task.repository
    if (repo != null && !out.includes(repo)) out.push(repo)
  }
  return out
}

const RULE_NAMES: Record<string, string> = {
  API_Contract: 'API contract',
  Database_Schema: 'Database schema',
  Configuration_Dependency: 'Configuration',
  Security_Compliance: 'Security & compliance',
  conflict: 'Same task claimed twice',
}

/** A rule's readable name ("API contract", "Feature flags" for `Feature_Flags`); the raw id goes in a title. */
export function ruleName(rule: string): string {
  if (Object.hasOwn(RULE_NAMES, rule)) return RULE_NAMES[rule]
  const words = rule.replace(/_/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase()
}

/** Task titles of a session, joined as the session's name. */
export const sessionTitle = (s: RoomState | undefined, tasks: readonly string[]): string => tasks.map((t) => taskTitle(s, t)).join(' ↔ ')

/** Patterns of rule ids in text, per set of rule ids (the built-ins plus a room's custom rules). */
const RULE_IDS = new Map<string, RegExp | null>()
const BUILTIN_IDS = Object.keys(RULE_NAMES).filter((id) => id.includes('_'))

/**
 * Agent-written text (a plan's summary, a step's reason, a note) with every rule id it names —
 * "Security_Compliance session for …" — in the rule's readable name. Only ids with an
 * underscore are replaced: a rule called "conflict" or "Auth" is also an ordinary word.
 */
export function readableRules(text: string, s?: RoomState): string {
  const ids = s && s.rules.size > 0 ? [...BUILTIN_IDS, ...[...s.rules.keys()].filter((id) => id.includes('_'))] : BUILTIN_IDS
  const key = ids.join(' ')
  let re = RULE_IDS.get(key)
  if (re === undefined) {
    re = ids.length ? new RegExp(`\\b(?:${ids.join('|')})\\b`, 'g') : null
    if (RULE_IDS.size > 64) RULE_IDS.clear()
    RULE_IDS.set(key, re)
  }
  return re && text.includes('_') ? text.replace(re, ruleName) : text
}
