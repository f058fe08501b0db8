/**
 * A peer's first start in a room: with no room cached it cannot start until a relay says which
 * room it serves, and a relay busy with many peers joining at once answers late. So it asks
 * again, in rounds, for a bounded time: each round's requests wait longer than the last (a
 * relay that answers in 8 s is never reached by requests that give up at 5 s), with a pause
 * between rounds that doubles up to a cap and is drawn at random between half and all of it, so
 * peers that failed together do not all ask again together. Only failures that asking again can
 * cure are retried — a time-out, a dropped or refused connection, a "come back later"; a
 * refusal (a 4xx such as a missing token, an answer that is not room info) fails at once with
 * the relay's reason.
 */
import { NoRelayAnswered, resolveRoom, type ResolvedRoom } from './targets'

export interface Patience {
  /** How long to keep asking, from the first request. @default 60_000 */
  totalMs?: number
  /** The first round's time-out per request; each round doubles it, up to `maxTryMs`. @default 5000 */
  firstTryMs?: number
  /** @default 20_000 */
  maxTryMs?: number
  /** The pause after the first round; each round doubles it, up to `maxPauseMs`. @default 500 */
  firstPauseMs?: number
  /** @default 8000 */
  maxPauseMs?: number
  /** Draws the jitter, in [0, 1). @default Math.random */
  random?: () => number
}

const DEFAULTS: Required<Patience> = { totalMs: 60_000, firstTryMs: 5000, maxTryMs: 20_000, firstPauseMs: 500, maxPauseMs: 8000, random: Math.random }

/** A round's request time-out is never cut below this by the deadline: a shorter one only adds load. */
export const MIN_TRY_MS = 1000

/** Round `i`'s (from 0) request time-out and the pause after it, for a jitter draw `r` in [0, 1). */
export function roundPlan(i: number, p: Required<Patience>, r: number): { tryMs: number; pauseMs: number } {
  const cap = Math.min(p.maxPauseMs, p.firstPauseMs * 2 ** i)
  return { tryMs: Math.min(p.maxTryMs, p.firstTryMs * 2 ** i), pauseMs: cap / 2 + (cap / 2) * r }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/**
 * Resolves the room from `targets` (relay URLs), asking again while every failure is transient
 * and the time allows; `log` hears each retry. Throws the last failure, saying how long it asked.
 */
export async function resolveRoomPatiently(targets: readonly string[], patience: Patience = {}, log: (line: string) => void = () => {}): Promise<ResolvedRoom> {
  const p = { ...DEFAULTS, ...patience }
  const started = Date.now()
  const deadline = started + p.totalMs
  for (let i = 0; ; i++) {
    const { tryMs, pauseMs } = roundPlan(i, p, p.random())
    const timeoutMs = Math.min(tryMs, Math.max(MIN_TRY_MS, deadline - Date.now()))
    const answer = await resolveRoom(targets, undefined, { timeoutMs, again: false, deadline }).catch((err: Error) => err)
    if (!(answer instanceof Error)) return answer
    if (!(answer instanceof NoRelayAnswered) || !answer.transient) throw answer
    const spent = Date.now() - started
    if (Date.now() + pauseMs + MIN_TRY_MS > deadline) throw new Error(`${answer.message}; asked ${i + 1} times over ${seconds(spent)}, giving up`)
    log(`${answer.message}; asking again in ${seconds(pauseMs)} (try ${i + 2}, ${seconds(spent)} of ${seconds(p.totalMs)} spent)`)
    await new Promise((r) => setTimeout(r, pauseMs))
  }
}
