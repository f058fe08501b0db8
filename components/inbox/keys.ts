/** The inbox's keyboard map (j/k move, a/e/r/g review, c claim, d dismiss, z undo, ? help). */

/** What a key press asks for. */
export type InboxCommand = 'next' | 'prev' | 'approve' | 'edit' | 'resolve' | 'return' | 'claim' | 'dismiss' | 'undo' | 'help' | 'close'

const MAP: Record<string, InboxCommand> = {
  j: 'next', ArrowDown: 'next', k: 'prev', ArrowUp: 'prev',
  a: 'approve', e: 'edit', r: 'resolve', g: 'return', c: 'claim', d: 'dismiss', z: 'undo', '?': 'help', Escape: 'close',
}

/** Keys that open help and how they read in the help dialog. */
export const KEY_HELP: [string, string][] = [
  ['j / ↓', 'next item'], ['k / ↑', 'previous item'], ['Home / End', 'first / last item (in the list)'], ['Enter', 'open the item (phone)'],
  ['a', 'review: approve the plan'], ['e', 'review: edit the plan (new version)'], ['r', 'review: resolve with a decision'], ['g', 'review: return to the agents with guidance'],
  ['Ctrl/⌘ + Enter', 'submit the review'], ['z', 'undo the last decision (while its toast shows)'], ['c', 'claim / release'], ['d', 'dismiss an approval request'], ['?', 'this help'], ['Esc', 'close the dialog or this help'],
]

/** The command for a key event, or null when typing in a field or using a modifier. */
export function commandFor(e: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; target?: EventTarget | null }): InboxCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  const el = e.target as { tagName?: string; isContentEditable?: boolean } | null
  const tag = el?.tagName?.toLowerCase()
  if (el?.isContentEditable || tag === 'input' || tag === 'textarea' || tag === 'select') return null
  return MAP[e.key] ?? null
}
