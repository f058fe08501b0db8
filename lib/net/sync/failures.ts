/**
 * Failed sync rounds, logged with their reason: a peer that never converges must be
 * diagnosable from its log. A peer that keeps failing the same way (it went away, it refuses
 * our rounds) is logged once a minute with how many such failures were left out.
 */
import { monotonic, type Clock } from '../clock'

/** An `onError` for SyncService: one line per peer and reason at most every `everyMs`. */
export function roundFailureLogger(log: (line: string) => void = (line) => console.warn(line), clock: Clock = monotonic, everyMs = 60_000): (peer: string, err: Error) => void {
  const last = new Map<string, { at: number; skipped: number }>()
  return (peer, err) => {
    const reason = err.message || err.name
    const key = `${peer}\n${reason}`
    const now = clock()
    const seen = last.get(key)
    if (seen != null && now - seen.at < everyMs) {
      seen.skipped++
      return
    }
    if (last.size >= 1000) last.clear()
    last.set(key, { at: now, skipped: 0 })
    const more = seen != null && seen.skipped > 0 ? ` (${seen.skipped} more like it since the last line)` : ''
    log(`sync round with ${peer} failed: ${reason}${more}`)
  }
}
