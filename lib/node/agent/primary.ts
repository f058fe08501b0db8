/**
 * The primary planner duty (DESIGN §2): for each active session that needs a plan version
 * (none yet, or open concerns on the latest), the planners are ranked by rendezvous hash of
 * (session, peer), the session's participants before the others (ADR 0087); the first writes the version at once, the next after the turns of those
 * above it without one (a view change; turns as in liveness.ts, ADR 0070). A peer that dies
 * drops out of the ranking, so the next one moves up; a primary that is alive but silent is
 * overtaken after its turn. See ADR 0051.
 */
import type { PeerId } from '../../core/ids'
import type { Plan } from '../../core/planner/plan'
import { consensusOf } from '../../core/sessions/consensus'
import type { SessionState } from '../../core/state/types'
import type { RoomPeer } from '../../net/room-peer'
import type { Planner } from '../planner/planner'
import { planRequestOf } from '../planner/request'
import { stallAware } from '../../net/clock'
import { DUTY_STEP_MS } from './derived'
import { AdaptiveGrace } from './grace'
import { turnWait, type Standing } from './liveness'
import { PlannerOrder, plannerCandidates } from './rank'

export interface PrimaryDutyInit {
  peer: RoomPeer
  planner: Planner
  /** How presence sees a peer (liveness.ts). */
  standing: (peer: string) => Standing
  /** Least wait per rank before a planner takes over (ms); it grows with observed delays (grace.ts). @default 4000 */
  graceMs?: number
  /** No revision beyond this version; a session still arguing escalates by message limit. @default 12 */
  maxVersions?: number
  /** The duty's clock. @default a stall-aware monotonic clock stepping at most DUTY_STEP_MS */
  now?: () => number
  onPlanned?: (session: string, version: number, plan: Plan) => void
  onError?: (err: unknown) => void
}

/** The version a session needs next, or 0 if it needs none. */
export function versionNeeded(s: SessionState, maxVersions: number): number {
  if (s.status !== 'active') return 0
  if (s.plans.length === 0) return 1
  if (s.plans.length >= maxVersions) return 0
  return consensusOf(s).concerns.length > 0 ? s.plans.length + 1 : 0
}

/** See the module comment: `tick()` after each change and on a timer. */
export class PrimaryDuty {
  private readonly firstNeed = new Map<string, number>()
  private readonly planning = new Set<string>()
  private readonly ranks = new PlannerOrder()
  /** Versions this peer planned (not samples of anyone's delay). */
  private readonly mine = new Set<string>()
  readonly grace: AdaptiveGrace
  private readonly now: () => number

  constructor(private readonly init: PrimaryDutyInit) {
    this.now = init.now ?? stallAware(DUTY_STEP_MS)
    this.grace = new AdaptiveGrace(init.graceMs ?? 4000)
  }

  /**
   * Starts writing every plan version that is this peer's to write now; resolves to how many
   * it started. Planning runs in the background (an LLM may take seconds), one per session
   * version, so the duty loop keeps emitting derived events meanwhile.
   */
  async tick(): Promise<number> {
    const { peer } = this.init
    const me = peer.signer.peerId as PeerId
    const max = this.init.maxVersions ?? 12
    const state = peer.host.replica.state
    const needs = [...state.sessions.values()].map((s) => ({ s, v: versionNeeded(s, max) })).filter((x) => x.v > 0)
    const keys = new Set(needs.map((x) => `${x.s.id}#${x.v}`))
    const at = this.now()
    for (const [k, first] of [...this.firstNeed]) {
      if (keys.has(k)) continue
      // Settled by another planner's version: how long its planning and delivery took here.
      if (!this.mine.has(k)) this.grace.sample(at - first)
      this.firstNeed.delete(k)
      this.mine.delete(k)
    }
    this.ranks.retain(new Set(needs.map((x) => x.s.id as string)))
    const planners = needs.length > 0 ? plannerCandidates(state) : []
    let n = 0
    for (const { s, v } of needs) {
      const key = `${s.id}#${v}`
      const now = this.now()
      const first = this.firstNeed.get(key) ?? now
      this.firstNeed.set(key, first)
      if (this.planning.has(key)) continue
      const turns = turnWait(this.ranks.ranked(s, planners), me, this.init.standing, this.grace)
      // Behind the room, another planner's version may be among the events still to be read;
      // behind by more than a grace period, even the primary's turn may have been taken.
      const lag = peer.host.lagMs
      if (turns == null || now - first < (turns > 0 || lag >= this.grace.ms ? turns + lag : 0)) continue
      this.planning.add(key)
      this.mine.add(key)
      n++
      void this.write(s, v).finally(() => this.planning.delete(key))
    }
    return n
  }

  /** Plans version `v` of `s` and authors it if that version is still the one needed. */
  private async write(s: SessionState, v: number): Promise<void> {
    const { peer } = this.init
    const max = this.init.maxVersions ?? 12
    try {
      const plan = await this.init.planner.plan(planRequestOf(peer.host.replica.state, s))
      const current = peer.host.replica.state.sessions.get(s.id)
      if (!current || versionNeeded(current, max) !== v) return
      await peer.author('plan.proposed', { session: s.id, version: v, plan })
      this.init.onPlanned?.(s.id, v, plan)
    } catch (err) {
      this.init.onError?.(err)
    }
  }
}
