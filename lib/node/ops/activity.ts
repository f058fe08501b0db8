/**
 * The activity journal: everything that concerns one agent, numbered, so a caller can wait for
 * what is new since its last look (`wait_for_activity`, `GET /events`). It records session
 * changes, plan versions and messages of the agent's sessions (SessionWatcher), status changes
 * of its tasks and of the tasks they wait on, and each flip of a held task's readiness.
 */
import type { PeerId } from '../../core/ids'
import { renderPlan } from '../../core/planner/render'
import type { RoomState } from '../../core/state/types'
import { SessionWatcher } from '../agent/watch'
import { readiness } from './ready'
import { nameOf } from './views'

/** One entry of the journal. */
export type Activity =
  | { seq: number; type: 'session'; session: string; status: string; previous: string | null; sessionType: string; rule: string; tasks: string[] }
  | { seq: number; type: 'plan'; session: string; version: number; by: string; planText: string }
  | { seq: number; type: 'message'; session: string; from: string; messageType: string; text: string; mine: boolean }
  | { seq: number; type: 'task'; taskId: string; status: string; previous: string | null; holders: string[] }
  | { seq: number; type: 'ready'; taskId: string; ready: boolean; text: string }

type Unnumbered = Activity extends infer A ? (A extends Activity ? Omit<A, 'seq'> : never) : never

/** Keeps the latest entries; older ones are dropped (a caller that far behind reads state instead). */
const MAX_ENTRIES = 5000

/** See the module comment. `observe(state)` after each change; `after(seq)` / `wait(seq, ms)` to read. */
export class ActivityJournal {
  private readonly entries: Activity[] = []
  private next = 1
  private readonly sessions: SessionWatcher
  private readonly taskStatus = new Map<string, string>()
  private readonly readyState = new Map<string, boolean>()
  private readonly waiters = new Set<() => void>()
  private readonly listeners = new Set<() => void>()

  constructor(private readonly me: PeerId) {
    this.sessions = new SessionWatcher(me)
  }

  /** Sequence number of the newest entry (0 when empty). */
  get head(): number {
    return this.next - 1
  }

  /** Records what changed in `state` since the previous call. */
  observe(state: RoomState): void {
    const before = this.next
    for (const e of this.sessions.diff(state)) {
      if (e.type === 'session') this.push({ type: 'session', session: e.session.id, status: e.status, previous: e.previous, sessionType: e.session.type, rule: e.session.rule, tasks: e.session.tasks })
      else if (e.type === 'plan') this.push({ type: 'plan', session: e.session.id, version: e.version, by: nameOf(state, e.by), planText: renderPlan(e.plan) })
      else this.push({ type: 'message', session: e.session.id, from: nameOf(state, e.message.author), messageType: e.message.type, text: e.message.text, mine: e.mine })
    }
    const mine = [...state.tasks.values()].filter((t) => t.claimants.includes(this.me) || t.claimedBy === this.me)
    const watched = new Set(mine.map((t) => t.task.taskId))
    for (const s of state.sessions.values()) if (s.participants.includes(this.me)) for (const t of s.tasks) watched.add(t)
    for (const id of watched) {
      const t = state.tasks.get(id)
      if (!t) continue
      const previous = this.taskStatus.get(id) ?? null
      if (previous === t.status) continue
      this.taskStatus.set(id, t.status)
      this.push({ type: 'task', taskId: id, status: t.status, previous, holders: t.claimants.map((c) => nameOf(state, c)) })
    }
    for (const t of mine) {
      if (t.status !== 'claimed' || !t.claimants.includes(this.me)) continue
      const r = readiness(state, t.task.taskId)
      if (this.readyState.get(t.task.taskId) === r.ready) continue
      this.readyState.set(t.task.taskId, r.ready)
      this.push({ type: 'ready', taskId: t.task.taskId, ready: r.ready, text: r.text })
    }
    if (this.next !== before) this.wake()
  }

  /** Entries newer than `seq`, oldest first. */
  after(seq: number): Activity[] {
    const first = this.entries.findIndex((e) => e.seq > seq)
    return first < 0 ? [] : this.entries.slice(first)
  }

  /** Entries newer than `seq`, waiting up to `timeoutMs` for the first one; `signal` cuts the wait short. */
  async wait(seq: number, timeoutMs: number, signal?: AbortSignal): Promise<Activity[]> {
    const now = this.after(seq)
    if (now.length || timeoutMs <= 0) return now
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      this.waiters.add(done)
      signal?.addEventListener('abort', done)
    })
    return this.after(seq)
  }

  /** Calls `listener` whenever entries are added; returns the unsubscribe function. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  private push(a: Unnumbered): void {
    this.entries.push({ ...a, seq: this.next++ } as Activity)
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES)
  }

  private wake(): void {
    for (const w of [...this.waiters]) w()
    for (const l of [...this.listeners]) l()
  }
}
