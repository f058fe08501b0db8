/**
 * Agent operations (ADR 0083): the one layer over ChorusAgent that the CLI, the MCP server
 * and the HTTP gateway all call, so each operation is written and tested once. Inputs are
 * checked here (tasks in our shape or CHORUS's, task and session ids that exist, the caller
 * holding what it releases); results are plain JSON.
 */
import type { EventId, PeerId, SessionId } from '../../core/ids'
import type { MessageType } from '../../core/events/kinds/message'
import { chorusDiscussion } from '../../core/interop/chorus-discussion'
import { selectMembers, selectSessions } from '../../core/state/selectors'
import type { ChorusTaskContext } from '../../core/rules/chorus'
import { readTask, TaskInputError, type ChorusAgent, type TaskInput } from '../agent/sdk'
import type { ArtifactRole } from '../../core/rules/artifacts'
import { ExtractError, extractArtifacts } from '../artifacts/extract'
import { ActivityJournal, type Activity } from './activity'
import { OpsError } from './errors'
import { preview, readiness } from './ready'
import { nameOf, sessionDetail, summarize, type SessionDetail } from './views'

/** The longest a single wait may block (a client wanting more calls again). */
export const MAX_WAIT_MS = 120_000

/** See the module comment. */
export class AgentOps {
  readonly journal: ActivityJournal
  /** The default cursor of `waitForActivity` for callers that do not pass one (an MCP client). */
  private cursor = 0
  private readonly unsubscribe: () => void

  constructor(readonly agent: ChorusAgent) {
    this.journal = new ActivityJournal(agent.peerId)
    this.journal.observe(agent.state)
    this.unsubscribe = agent.subscribe(() => this.journal.observe(agent.state))
  }

  /** Stops following the replica (the agent itself is stopped by its owner). */
  close(): void {
    this.unsubscribe()
  }

  private get me(): PeerId {
    return this.agent.peerId
  }

  private read(input: TaskInput | ChorusTaskContext) {
    try {
      return readTask(input)
    } catch (err) {
      if (err instanceof TaskInputError) throw new OpsError('invalid', err.message)
      throw err
    }
  }

  private heldTask(taskId: string) {
    const t = this.agent.state.tasks.get(taskId)
    if (!t) throw new OpsError('not_found', `no task ${taskId} in this room (claim it first)`)
    if (t.status !== 'claimed' || !t.claimants.includes(this.me)) throw new OpsError('not_yours', `task ${taskId} is ${t.status === 'claimed' ? `held by ${t.claimants.map((c) => nameOf(this.agent.state, c)).join(', ')}` : t.status}, not by you`)
    return t
  }

  private session(id: string) {
    const s = this.agent.state.sessions.get(id as SessionId)
    if (!s) throw new OpsError('not_found', `no session ${id} (list_sessions shows the ids)`)
    return s
  }

  /** Claims a task; returns the claim and what it creates with the tasks already held. */
  async claim(input: TaskInput | ChorusTaskContext) {
    const task = this.read(input)
    const before = preview(this.agent.state, task, this.me)
    const claim = await this.agent.claim(task)
    return { ...before, claim, next: 'Call wait_for_activity: a session opens for each dependency or conflict, and its plan follows.' }
  }

  /** What claiming the task would create, without claiming it. */
  previewClaim(input: TaskInput | ChorusTaskContext) {
    return preview(this.agent.state, this.read(input), this.me)
  }

  /** Gives a held task back. */
  async release(taskId: string, reason?: string): Promise<{ taskId: string; event: EventId }> {
    this.heldTask(taskId)
    return { taskId, event: await this.agent.release(taskId, reason) }
  }

  /** Marks a held task done (this also frees the lease of a path conflict). */
  async complete(taskId: string, note?: string): Promise<{ taskId: string; event: EventId }> {
    this.heldTask(taskId)
    return { taskId, event: await this.agent.complete(taskId, note) }
  }

  /** Sessions: this agent's (`mine`), the room's not yet closed (`active`), or all. */
  sessions(scope: 'mine' | 'active' | 'all' = 'mine') {
    const state = this.agent.state
    return selectSessions(state, { active: scope === 'active' })
      .filter((s) => scope !== 'mine' || s.participants.includes(this.me))
      .map((s) => summarize(state, s, this.me))
  }

  /** One session: plan as text, messages, status, what is expected of this agent, the human decision. */
  getSession(id: string): SessionDetail {
    this.session(id)
    return sessionDetail(this.agent.state, id as SessionId, this.me)!
  }

  /** Posts a typed message (proposal, question, agreement, concern) to a session. */
  async reply(id: string, m: { type?: MessageType; text: string }) {
    const s = this.session(id)
    if (!s.participants.includes(this.me)) throw new OpsError('not_participant', `you are not a participant of ${id}`)
    if (s.status === 'closed') throw new OpsError('conflict', `session ${id} is closed`)
    const latest = s.plans[s.plans.length - 1]
    const event = await this.agent.reply(id as SessionId, { text: m.text, ...(m.type ? { type: m.type } : {}) })
    return { session: id, event, planVersion: latest?.version ?? 0 }
  }

  /** Sends a session to the humans' inbox with a note saying why. */
  async escalate(id: string, note: string) {
    const s = this.session(id)
    if (!s.participants.includes(this.me)) throw new OpsError('not_participant', `you are not a participant of ${id}`)
    if (s.status !== 'active') throw new OpsError('conflict', `session ${id} is ${s.status}; only an active session can be escalated`)
    return { session: id, event: await this.agent.escalate(id as SessionId, note) }
  }

  /** May the task start now, or what must finish first. */
  ready(taskId: string) {
    if (!this.agent.state.tasks.has(taskId)) throw new OpsError('not_found', `no task ${taskId} in this room`)
    return readiness(this.agent.state, taskId)
  }

  /**
   * What concerns this agent since `since` (default: since the previous call without one),
   * waiting up to `timeoutMs` for something to happen.
   */
  async waitForActivity(o: { since?: number; timeoutMs?: number } = {}, signal?: AbortSignal): Promise<{ cursor: number; activity: Activity[]; timedOut: boolean }> {
    const since = o.since ?? this.cursor
    const timeoutMs = Math.min(MAX_WAIT_MS, Math.max(0, o.timeoutMs ?? 30_000))
    const activity = await this.journal.wait(since, timeoutMs, signal)
    const cursor = activity.length ? activity[activity.length - 1].seq : Math.max(since, 0)
    if (o.since === undefined) this.cursor = cursor
    return { cursor, activity, timedOut: activity.length === 0 }
  }

  /** The room at a glance: members, tasks, sessions. */
  room() {
    const state = this.agent.state
    return {
      room: state.room,
      name: state.name,
      me: { peerId: this.me, name: this.agent.name },
      members: selectMembers(state).map((m) => ({ name: m.displayName, role: m.role, kind: m.kind, peerId: m.peerId })),
      tasks: [...state.tasks.values()].map((t) => ({ taskId: t.task.taskId, repository: t.task.repository, title: t.task.title, status: t.status, holders: t.claimants.map((c) => nameOf(state, c)), mine: t.claimants.includes(this.me) })),
      sessions: { active: selectSessions(state, { active: true }).filter((s) => s.status === 'active').length, escalated: [...state.sessions.values()].filter((s) => s.status === 'escalated').length, total: state.sessions.size },
    }
  }

  /** Artifacts read from files of the agent's working tree (OpenAPI, SQL, .proto, GraphQL, .env), to pass to claim. */
  async extractArtifacts(files: string[], role?: ArtifactRole, root?: string) {
    try {
      return { artifacts: await extractArtifacts(files, { role, root }) }
    } catch (err) {
      if (err instanceof ExtractError) throw new OpsError('invalid', err.message)
      throw err
    }
  }

  /** A session in the shape of CHORUS's coordination session and discussion outcome. */
  exportDiscussion(id: string) {
    this.session(id)
    return chorusDiscussion(this.agent.state, id as SessionId, (e) => this.agent.mesh.peer.host.replica.log.get(e)?.event.time)!
  }
}
