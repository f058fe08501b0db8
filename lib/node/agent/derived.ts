/**
 * Derived-event emission (DESIGN §1–§2): a member runs `due(state, now)` and authors the due
 * events its role may author. Several peers doing this at once is harmless (deterministic
 * session ids; the fold ignores a second `dependency.detected`, `session.opened` or
 * `session.resolved` for the same thing), but it is noise, so the peers involved (claimants,
 * participants) go first, staggered by rank, and bystanders wait `bystanderDelayMs` before
 * they stand in. See ADR 0050.
 */
import type { DueEvent } from '../../core/sessions/due'
import { due } from '../../core/sessions/due'
import { DependencyCache } from '../../core/sessions/dependency-cache'
import { roleMayAuthor } from '../../core/log/roles'
import { selectRole } from '../../core/state/selectors'
import type { PeerId } from '../../core/ids'
import type { RoomState } from '../../core/state/types'
import type { RoomPeer } from '../../net/room-peer'
import { rankPlanners } from './rank'

export interface DerivedEmitterInit {
  peer: RoomPeer
  /** Delay per rank among the involved peers (ms). @default 250 */
  stepMs?: number
  /** Wait before a peer not involved emits (ms). @default 2000 */
  bystanderDelayMs?: number
  /**
   * Longest wait before emitting `session.resolved` while a participant has not yet answered
   * the latest plan version (ms): with two participants one agreement is consensus, so the
   * other's concern, if it is coming, should get the chance to arrive first. Once every
   * participant has answered there is no wait. @default 3000
   */
  settleMs?: number
  /** Wait before retrying an event the log refused (ms). @default 5000 */
  retryMs?: number
  now?: () => number
  onEmitted?: (e: DueEvent) => void
  onError?: (err: unknown) => void
}

/** The identity of a due event: same key, same thing (whoever emits it). */
export const dueKey = (e: DueEvent): string => {
  const p = e.payload as Record<string, unknown>
  if (e.kind === 'dependency.detected') {
    const d = e.payload.dependency
    return `${e.kind}|${d.task1}|${d.task2}|${d.relationship}`
  }
  return `${e.kind}|${String(p.session)}`
}

/** The peers a due event concerns: the claimants of its tasks, or the session's participants. */
export function involvedIn(s: RoomState, e: DueEvent): PeerId[] {
  const claimants = (ids: readonly string[]) => ids.flatMap((t) => s.tasks.get(t)?.claimants ?? [])
  if (e.kind === 'dependency.detected') return claimants([e.payload.dependency.task1, e.payload.dependency.task2])
  if (e.kind === 'session.opened') return claimants(e.payload.tasks)
  const session = 'session' in e.payload ? s.sessions.get(e.payload.session as never) : undefined
  return session?.participants ?? []
}

/** True if every participant has a message under the session's latest plan version. */
function allAnswered(s: RoomState, session: string): boolean {
  const x = s.sessions.get(session as never)
  if (!x || x.plans.length === 0) return false
  const v = x.plans.length
  return x.participants.every((p) => x.messages.some((m) => m.author === p && m.planVersion === v))
}

/** See the module comment: `tick()` after each change and on a timer. */
export class DerivedEmitter {
  private readonly cache = new DependencyCache()
  /** Local time each due key was first seen due. */
  private readonly firstDue = new Map<string, number>()
  private readonly refusedAt = new Map<string, number>()
  private readonly now: () => number

  constructor(private readonly init: DerivedEmitterInit) {
    this.now = init.now ?? Date.now
  }

  /** Authors whatever is due and this peer's turn; resolves to the number authored. */
  async tick(): Promise<number> {
    const { peer } = this.init
    const me = peer.signer.peerId as PeerId
    const state = peer.host.replica.state
    const role = selectRole(state, me)
    if (role == null) return 0
    const now = this.now()
    const pending = due(state, now, this.cache).filter((e) => roleMayAuthor(role, e.kind))
    const keys = new Set(pending.map(dueKey))
    for (const k of [...this.firstDue.keys()]) if (!keys.has(k)) this.firstDue.delete(k)
    let n = 0
    for (const e of pending) {
      const key = dueKey(e)
      const first = this.firstDue.get(key) ?? now
      this.firstDue.set(key, first)
      if (now - first < this.waitFor(state, e, key, me)) continue
      if (now - (this.refusedAt.get(key) ?? -Infinity) < (this.init.retryMs ?? 5000)) continue
      // The state may have moved while we authored the previous one.
      if (!due(peer.host.replica.state, this.now(), this.cache).some((x) => dueKey(x) === key)) continue
      try {
        await peer.author(e.kind, e.payload as never)
        n++
        this.init.onEmitted?.(e)
      } catch (err) {
        this.refusedAt.set(key, this.now())
        this.init.onError?.(err)
      }
    }
    return n
  }

  /** How long this peer lets a due event wait before emitting it itself. */
  private waitFor(s: RoomState, e: DueEvent, key: string, me: PeerId): number {
    const involved = involvedIn(s, e)
    const rank = rankPlanners(key, involved).indexOf(me)
    const settle = e.kind === 'session.resolved' && !allAnswered(s, e.payload.session) ? (this.init.settleMs ?? 3000) : 0
    if (rank >= 0) return settle + rank * (this.init.stepMs ?? 250)
    return settle + (this.init.bystanderDelayMs ?? 2000)
  }
}
