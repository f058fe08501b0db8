/**
 * Derived-event emission (DESIGN §1–§2, ADR 0070): a member runs `due(state, now)`, and for each
 * due event one emitter is elected, so the log holds one copy however many agents are in the
 * room. The candidates are ranked: the peers involved (claimants of the tasks, or the session's
 * participants) by rendezvous hash of (due key, peer), then every other agent the same way. A
 * candidate emits once the event has been due here for the turns of those ranked above it
 * (liveness.ts: long for a peer whose beats arrive, the adaptive grace for a quiet one, none
 * for a gone one), so the first emits at once and the next one takes over only when those
 * above it stay silent (dead, partitioned, stuck). Any copy that still happens (two peers that had not seen each other's)
 * is harmless: the fold ignores it and core verifies every derived event by recomputation.
 */
import type { DueEvent } from '../../core/sessions/due'
import { due } from '../../core/sessions/due'
import { DependencyCache } from '../../core/sessions/dependency-cache'
import type { EventKind } from '../../core/events/kinds'
import { roleMayAuthor } from '../../core/log/roles'
import { selectRole } from '../../core/state/selectors'
import type { PeerId } from '../../core/ids'
import type { RoomState } from '../../core/state/types'
import type { RoomPeer } from '../../net/room-peer'
import { stallAware } from '../../net/clock'
import { AdaptiveGrace } from './grace'
import { turnWait, type Standing } from './liveness'
import { isCurrent, Rankings } from './rank'

/** What the duty needs of a room peer (a `RoomPeer`). */
export interface DutyPeer {
  readonly signer: { readonly peerId: string }
  readonly host: { readonly replica: { readonly state: RoomState }; readonly lagMs: number }
  author: RoomPeer['author']
}

export interface DerivedEmitterInit {
  peer: DutyPeer
  /** How presence sees a peer (liveness.ts). */
  standing: (peer: string) => Standing
  /**
   * Least wait per rank before a peer takes over from the live candidates ranked above it
   * (ms); it grows with the delivery delays this peer observes (grace.ts). @default 4000
   */
  graceMs?: number
  /**
   * Least wait before emitting `session.resolved` while a participant has not yet answered
   * the latest plan version (ms): with two participants one agreement is consensus, so the
   * other's concern, if it is coming, should get the chance to arrive first. It grows with
   * how long participants have taken to answer plans here (`answers`). Once every participant
   * has answered there is no wait. @default 3000
   */
  settleMs?: number
  /** Wait before retrying an event the log refused (ms). @default 5000 */
  retryMs?: number
  /** The duty's clock for waits. @default a stall-aware monotonic clock stepping at most DUTY_STEP_MS */
  now?: () => number
  /** Wall time for `due` (session ages are wall times). @default Date.now */
  wall?: () => number
  onEmitted?: (e: DueEvent) => void
  onError?: (err: unknown) => void
}

/**
 * The duties' clock advances at most this much between two ticks (ticks come every 500 ms):
 * waiting measured while this process could not run — its loop blocked, its sockets unread —
 * would elect it over a peer whose event is sitting in those sockets.
 */
export const DUTY_STEP_MS = 1000

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

/**
 * Current agent members whose role may author `kind`: the peers that run this duty. Not the
 * room's owner: a relay signs the genesis (as an agent member) and never runs duties, and a
 * candidate that beats but never writes would hold every item it ranks first for the long grace.
 */
export function emitterCandidates(s: RoomState, kind: EventKind): string[] {
  return [...s.members.values()].filter((m) => m.kind === 'agent' && m.peerId !== s.owner && isCurrent(s, m) && roleMayAuthor(m.role, kind)).map((m) => m.peerId)
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
  private readonly involvedRanks = new Rankings('derived')
  private readonly otherRanks = new Rankings('derived')
  /** What this peer authored per key (not samples of anyone's delivery delay; never sent twice). */
  private readonly mine = new Map<string, string>()
  readonly grace: AdaptiveGrace
  /**
   * How long participants take to answer a plan version (plan to answer, by the events' times):
   * a resolution written before the last answer arrives is ignored by the fold when that answer
   * is a concern that sorts before it, and written again later — a copy.
   */
  readonly answers: AdaptiveGrace
  private readonly sampledAnswers = new Set<string>()
  private readonly now: () => number
  private readonly wall: () => number

  constructor(private readonly init: DerivedEmitterInit) {
    this.wall = init.wall ?? Date.now
    this.now = init.now ?? stallAware(DUTY_STEP_MS)
    this.grace = new AdaptiveGrace(init.graceMs ?? 4000)
    this.answers = new AdaptiveGrace(init.settleMs ?? 3000)
  }

  /** Authors whatever is due and this peer's turn; resolves to the number authored. */
  async tick(): Promise<number> {
    const { peer } = this.init
    const me = peer.signer.peerId as PeerId
    const state = peer.host.replica.state
    const role = selectRole(state, me)
    if (role == null) return 0
    const now = this.now()
    // What is due is judged on wall time (sessions age by their events' times); how long this
    // peer waits, on the duty's clock.
    const pending = due(state, this.wall(), this.cache).filter((e) => roleMayAuthor(role, e.kind))
    const keys = new Set(pending.map(dueKey))
    for (const [k, first] of [...this.firstDue]) {
      if (keys.has(k)) continue
      // Settled by someone else's event: how long delivery took here. A resolution's wait for
      // the participants' answers is not delivery, so it is no sample.
      if (!this.mine.has(k) && !k.startsWith('session.resolved|')) this.grace.sample(now - first)
      this.firstDue.delete(k)
      this.mine.delete(k)
    }
    for (const k of [...this.refusedAt.keys()]) if (!keys.has(k)) this.refusedAt.delete(k)
    this.involvedRanks.retain(keys)
    this.otherRanks.retain(keys)
    const candidates = new Map<EventKind, string[]>()
    let n = 0
    for (const e of pending) {
      const key = dueKey(e)
      const first = this.firstDue.get(key) ?? now
      this.firstDue.set(key, first)
      let forKind = candidates.get(e.kind)
      if (forKind == null) candidates.set(e.kind, (forKind = emitterCandidates(state, e.kind)))
      const wait = this.waitFor(state, e, key, me, forKind)
      if (wait == null || now - first < wait) continue
      if (now - (this.refusedAt.get(key) ?? -Infinity) < (this.init.retryMs ?? 5000)) continue
      // Still due after this peer wrote it with the same evidence: the fold passed over it (say
      // a plan version it cited was replaced), and the same payload again would fare no better.
      const payload = JSON.stringify(e.payload)
      if (this.mine.get(key) === payload) continue
      // The state may have moved while we authored the previous one.
      if (n > 0 && !due(peer.host.replica.state, this.wall(), this.cache).some((x) => dueKey(x) === key)) continue
      try {
        await peer.author(e.kind, e.payload as never)
        this.mine.set(key, payload)
        n++
        this.init.onEmitted?.(e)
      } catch (err) {
        this.refusedAt.set(key, this.now())
        this.init.onError?.(err)
      }
    }
    return n
  }

  /** The candidates for a due event, in the order they take their turns: involved peers first, then the others. */
  ranking(s: RoomState, e: DueEvent, key: string, candidates: readonly string[] = emitterCandidates(s, e.kind)): string[] {
    const eligible = new Set(candidates)
    const involved = involvedIn(s, e).filter((p) => eligible.has(p))
    const inv = new Set<string>(involved)
    return [...this.involvedRanks.ranked(key, involved), ...this.otherRanks.ranked(key, candidates.filter((p) => !inv.has(p)))]
  }

  /**
   * How long this peer lets a due event wait before emitting it itself, or null if it never
   * does. Behind the room by more than a grace period, even the first-ranked waits its lag: the
   * next-ranked saw the item that much earlier and may have taken over, its event among those
   * this peer has yet to read.
   */
  private waitFor(s: RoomState, e: DueEvent, key: string, me: PeerId, candidates: readonly string[]): number | null {
    const turns = turnWait(this.ranking(s, e, key, candidates), me, this.init.standing, this.grace)
    if (turns == null) return null
    // Behind the room, the event that settles this item may be among those still to be read.
    const lag = this.init.peer.host.lagMs
    const wait = turns > 0 || lag >= this.grace.ms ? turns + lag : 0
    // The answer still to come may also be among the events this peer has yet to read (the lag
    // counts once: `wait` holds it already when it is not 0).
    const settle = e.kind === 'session.resolved' && !allAnswered(s, e.payload.session) ? this.answerWait(s, e.payload.session) + (wait > 0 ? 0 : lag) : 0
    return settle + wait
  }

  /** The wait for a participant's answer still to come: how long answers to plans have taken in this room. */
  private answerWait(s: RoomState, session: string): number {
    const x = s.sessions.get(session as never)
    // The set only dedupes samples; clearing it now and then re-samples a few answers at worst.
    if (this.sampledAnswers.size > 10_000) this.sampledAnswers.clear()
    for (const m of x?.messages ?? []) {
      const plan = x?.plans[m.planVersion - 1]
      if (plan == null || m.author === plan.author || this.sampledAnswers.has(m.event)) continue
      this.sampledAnswers.add(m.event)
      this.answers.sample(m.time - plan.time)
    }
    return this.answers.ms
  }
}
