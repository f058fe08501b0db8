/** Small text helpers for plans: the schema caps every text at 2000 characters. */

/** Clips a text to the plan schema's limit. */
export const clip = (s: string, max = 2000): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`)

/** Unique, non-empty, clipped, at most 50 (the schema's list limit). */
export const list = (items: readonly string[]): string[] => [...new Set(items.filter(Boolean).map((s) => clip(s)))].slice(0, 50)

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
