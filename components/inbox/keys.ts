/** The inbox's keyboard map (j/k move, a approve, e edit, r resolve, g return, c claim, ? help). */

/** What a key press asks for. */
export type InboxCommand = 'next' | 'prev' | 'approve' | 'edit' | 'resolve' | 'return' | 'claim' | 'help' | 'close'

const MAP: Record<string, InboxCommand> = {
  j: 'next', ArrowDown: 'next', k: 'prev', ArrowUp: 'prev',
  a: 'approve', e: 'edit', r: 'resolve', g: 'return', c: 'claim', '?': 'help', Escape: 'close',
}

/** Keys that open help and how they read in the help dialog. */
export const KEY_HELP: [string, string][] = [
  ['j / ↓', 'next escalation'], ['k / ↑', 'previous escalation'], ['a', 'approve the plan'], ['e', 'edit the plan (new version)'],
  ['r', 'resolve with a decision'], ['g', 'return to the agents with guidance'], ['c', 'claim / release'], ['?', 'this help'], ['Esc', 'close a form or this help'],
]

/** The command for a key event, or null when typing in a field or using a modifier. */
export function commandFor(e: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; target?: EventTarget | null }): InboxCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  const el = e.target as { tagName?: string; isContentEditable?: boolean } | null
  const tag = el?.tagName?.toLowerCase()
  if (el?.isContentEditable || tag === 'input' || tag === 'textarea' || tag === 'select') return null
  return MAP[e.key] ?? null
}
