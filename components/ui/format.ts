/** Durations and dates the way a person reads them. */

/** "0 s", "45 s", "2 min 5 s", "1 h 20 min", "3 d 4 h": the two largest units, rounded down. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3600], ['min', 60], ['s', 1]]
  const parts: string[] = []
  let rest = s
  for (const [name, size] of units) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${n} ${name}`)
    if (parts.length === 2) break
  }
  const out = parts.filter((p, i) => i === 0 || !p.startsWith('0 '))
  return out.length ? out.join(' ') : '0 s'
}

/**
 * One formatter for every date: `toLocaleString` with options builds a new Intl.DateTimeFormat
 * (resolving the locale and its patterns) on each call, and a list renders one per row.
 */
let dates: Intl.DateTimeFormat | undefined

/** A date and time in the reader's locale, e.g. "12 Dec 2026, 17:52". */
export const formatDate = (ms: number): string => (dates ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })).format(ms)
