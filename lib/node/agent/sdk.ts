/**
 * The agent SDK (DESIGN §7): everything an agent framework needs to take part in a room, with
 * no libp2p in sight. `ChorusAgent.join()` starts a mesh peer, redeems the invite, and runs
 * the agent's duties (derived events, the primary planner role); the agent then claims tasks,
 * listens to its sessions, plans and messages, and replies.
 *
 *   const agent = await ChorusAgent.join({ name: 'api-agent', relayUrl, dataDir, invite })
 *   await agent.claim({ taskId: 'auth-api', repository: 'api', title: 'Define the auth API' })
 *   agent.on('plan', (e) => agent.reply(e.session.id, { type: 'agreement', text: 'Agreed.' }))
 */
import type { EventId, PeerId, SessionId } from '../../core/ids'
import { parseTask, type ChorusTaskContext } from '../../core/rules/chorus'
import type { ArtifactRef, Task } from '../../core/rules/types'
import type { MessageType } from '../../core/events/kinds/message'
import { selectSession, type SessionView } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'
import { plannerFromEnv } from '../planner/env'
import type { Planner } from '../planner/planner'
import { DerivedEmitter } from './derived'
import { installAgentKey } from './agent-key'
import { dutyStanding, warmUpFor } from './liveness'
import { startMeshAgent, type MeshAgent } from './mesh-agent'
import { PrimaryDuty } from './primary'
import { PLANNER_CAPABILITY } from './rank'
import { DUTY_GAP_MS, DutyLoop } from './schedule'
import { dispatchTo, SessionWatcher, type AgentEvent, type AgentEventType } from './watch'

export type { AgentEvent, AgentEventType } from './watch'

export interface ChorusAgentOptions {
  name: string
  /** The relay's HTTP base URL, e.g. http://127.0.0.1:7781. */
  relayUrl: string
  /** Keys and the replica are kept under `<dataDir>/agents/<name>/`. */
  dataDir: string
  /** Needed once, to join a room that is not open. */
  invite?: string
  /**
   * The agent's identity key (base64 protobuf, as `chorus-mesh key` prints it), for runners
   * whose data directory does not survive between runs: same key, same member.
   */
  agentKey?: string
  /** The planner used when this agent is a session's primary; `false`: never plan. Default: from env. */
  planner?: Planner | false
  /** Grace period before the next-ranked planner or derived-event emitter takes over (ms). @default 4000 */
  graceMs?: number
  /** Duty timer (ms). @default 500 */
  tickMs?: number
  /** Least time between the starts of two duty runs, each of which first reports changes to listeners (ms); changes in between wait for the next. @default DUTY_GAP_MS */
  dutyGapMs?: number
  syncIntervalMs?: number
  /** SQLite durability of the replica (see MeshAgentOptions). @default 'FULL' */
  synchronous?: 'FULL' | 'NORMAL'
  /** Multiaddrs to listen on (TCP or WebSockets) so agents on one network mesh directly (see MeshAgentOptions). */
  listen?: string[]
  onError?: (err: unknown) => void
}

/** A task to claim; `projectId` defaults to "default". A CHORUS TaskContext is accepted as well. */
export interface TaskInput {
  taskId: string
  title: string
  repository: string
  description?: string
  keywords?: string[]
  projectId?: string
  /** Files, directories or globs the task will change in its repository (leases). */
  paths?: string[]
  /** Contracts the task defines or consumes (`openapi:POST /v1/login`, `table:users` …). */
  artifacts?: ArtifactRef[]
}

/** A task that does not read as ours nor as a CHORUS TaskContext; `issues` name the fields. */
export class TaskInputError extends Error {
  static override name = 'TaskInputError'
  constructor(readonly issues: { path: PropertyKey[]; message: string }[]) {
    super(`invalid task: ${issues.map((i) => `${i.path.map(String).join('.') || '(task)'}: ${i.message}`).join('; ')}`)
  }
}

/** Reads a task in our shape (projectId defaults to "default") or CHORUS's; throws TaskInputError. */
export function readTask(input: TaskInput | ChorusTaskContext): Task {
  const raw = input as unknown as Record<string, unknown>
  const r = parseTask('task_id' in raw ? raw : { projectId: 'default', description: '', ...raw })
  if (!r.success) throw new TaskInputError(r.issues.map((i) => ({ path: [...i.path], message: i.message })))
  return r.data
}

/** How long a starting agent waits to catch up with a peer before its duties run anyway. */
const CATCH_UP_MS = 10_000

/** Why an agent could not join. */
export class AgentJoinError extends Error {
  static override name = 'AgentJoinError'
  constructor(
    readonly reason: 'guest' | 'not_agent',
    detail: string,
  ) {
    super(detail)
  }
}

type Listener<T extends AgentEventType> = (e: Extract<AgentEvent, { type: T }>) => void

/** See the module comment. */
export class ChorusAgent {
  readonly peerId: PeerId
  /** Each listener has its own watcher, so a late listener still gets the current state first. */
  private readonly listeners = new Map<(e: AgentEvent) => void, SessionWatcher>()
  private readonly onError: (err: unknown) => void
  /**
   * One loop reads the room per run: it reports the changes to listeners (a busy room's changes
   * in one diff every DUTY_GAP_MS), then runs the duties once the agent has caught up. Reading
   * the state runs the fold replay that late events owe, so readers that each kept their own
   * pace would pay one replay each for the same late events.
   */
  private readonly loop: DutyLoop
  private dutiesOn = false
  /** Changes of the replica seen, and the count at the last report to listeners. */
  private changes = 0
  private reported = -1
  private readonly unsubscribe: () => void
  private isStopped = false
  private stopResolve!: () => void
  private readonly stopped = new Promise<void>((r) => (this.stopResolve = r))

  private constructor(
    readonly mesh: MeshAgent,
    readonly name: string,
    opts: ChorusAgentOptions,
  ) {
    this.peerId = mesh.peer.signer.peerId as PeerId
    const onError = (this.onError = opts.onError ?? (() => {}))
    const standing = dutyStanding(mesh.presence, warmUpFor(() => mesh.peer.host.replica.state, mesh.room.presenceIntervalMs))
    const emitter = new DerivedEmitter({ peer: mesh.peer, graceMs: opts.graceMs, onError, standing })
    const planner = opts.planner === undefined ? plannerFromEnv() : opts.planner
    const primary = planner ? new PrimaryDuty({ peer: mesh.peer, planner, graceMs: opts.graceMs, onError, standing }) : null
    this.loop = new DutyLoop(
      async () => {
        if (this.reported !== this.changes) {
          this.reported = this.changes
          this.dispatch()
        }
        if (!this.dutiesOn) return
        await emitter.tick()
        await primary?.tick()
      },
      opts.tickMs ?? 500,
      onError,
      opts.dutyGapMs ?? DUTY_GAP_MS,
    )
    this.loop.start()
    this.unsubscribe = mesh.peer.host.subscribe(() => {
      this.changes++
      this.loop.kick()
    })
  }

  /** Starts a peer on the relay's room, joins it as an agent and starts the agent's duties. */
  static async join(opts: ChorusAgentOptions): Promise<ChorusAgent> {
    const capabilities = opts.planner === false ? [] : [PLANNER_CAPABILITY]
    if (opts.agentKey) installAgentKey(opts.dataDir, opts.name, opts.agentKey)
    const mesh = await startMeshAgent({ name: opts.name, relayUrl: opts.relayUrl, dataDir: opts.dataDir, invite: opts.invite, capabilities, syncIntervalMs: opts.syncIntervalMs, synchronous: opts.synchronous, listen: opts.listen })
    try {
      const outcome = await mesh.join()
      if (outcome.status !== 'member') throw new AgentJoinError('guest', outcome.reason)
      if (outcome.role !== 'agent') throw new AgentJoinError('not_agent', `joined as ${outcome.role}, not as an agent`)
    } catch (err) {
      await mesh.stop()
      throw err
    }
    const agent = new ChorusAgent(mesh, opts.name, opts)
    // A restarted agent's own store may lack what the room did while it was away (a session
    // escalated, a plan superseded); its duties act on the room's state, so they wait for one
    // sync round with a peer, or for the time-out when no peer answers.
    await mesh.peer.firstRound(CATCH_UP_MS)
    agent.dutiesOn = true
    agent.loop.kick()
    return agent
  }

  /** The folded room state (read-only). */
  get state(): RoomState {
    return this.mesh.peer.host.replica.state
  }

  /** The sessions this agent takes part in, newest first. */
  sessions(): SessionView[] {
    return [...this.state.sessions.values()]
      .filter((s) => s.participants.includes(this.peerId))
      .map((s) => selectSession(this.state, s.id) as SessionView)
      .sort((a, b) => b.openedAt - a.openedAt)
  }

  /**
   * Claims a task (ours or a CHORUS TaskContext); a no-op if this agent holds it already with
   * the same content, a re-claim (new text, paths or artifacts) if the content changed.
   * Resolves to the claim's event id; throws TaskInputError on a malformed task.
   */
  async claim(input: TaskInput | ChorusTaskContext): Promise<EventId> {
    const { agentId: _ignored, ...task } = readTask(input)
    const held = this.state.tasks.get(task.taskId)
    if (held?.status === 'claimed' && held.claimants.includes(this.peerId)) {
      const { agentId: _a, ...was } = held.task
      if (held.claimedBy !== this.peerId || JSON.stringify(was) === JSON.stringify(task)) return held.claims[this.peerId]
    }
    return (await this.mesh.peer.author('task.claimed', task)).id
  }

  /** True if this agent ever claimed the task (held, released or completed since). */
  everClaimed(taskId: string): boolean {
    return this.mesh.peer.host.replica.log
      .eventsAfter(this.peerId, 0)
      .some((e) => e.event.kind === 'task.claimed' && e.event.payload.taskId === taskId)
  }

  /** Gives a claimed task back. */
  async release(taskId: string, reason?: string): Promise<EventId> {
    return (await this.mesh.peer.author('task.released', { taskId, ...(reason ? { reason } : {}) })).id
  }

  /** Marks a claimed task done. */
  async complete(taskId: string, note?: string): Promise<EventId> {
    return (await this.mesh.peer.author('task.completed', { taskId, ...(note ? { note } : {}) })).id
  }

  /** Posts a message to a session; `re` defaults to the latest plan version. */
  async reply(session: SessionId, m: { type?: MessageType; text: string; re?: EventId }): Promise<EventId> {
    const s = this.state.sessions.get(session)
    const re = m.re ?? s?.plans[s.plans.length - 1]?.event
    const enc = await this.mesh.peer.author('session.message', { session, text: m.text, ...(m.type ? { type: m.type } : {}), ...(re ? { re } : {}) })
    return enc.id
  }

  /** Asks for humans: the session goes to the escalation inbox. */
  async escalate(session: SessionId, note: string): Promise<EventId> {
    return (await this.mesh.peer.author('session.escalated', { session, reason: 'requested', note })).id
  }

  /**
   * Calls `listener` for each event of `type` — first for where this agent's sessions stand
   * now, then for each change; returns the unsubscribe function.
   */
  on<T extends AgentEventType>(type: T, listener: Listener<T>): () => void {
    const l = (e: AgentEvent) => {
      if (e.type === type) listener(e as Extract<AgentEvent, { type: T }>)
    }
    this.listeners.set(l, new SessionWatcher(this.peerId))
    queueMicrotask(() => this.dispatch())
    return () => void this.listeners.delete(l)
  }

  /** Every agent event as an async iterator (ends when the agent stops or the loop breaks). */
  async *events(): AsyncGenerator<AgentEvent> {
    const queue: AgentEvent[] = []
    let wake: (() => void) | null = null
    const l = (e: AgentEvent) => {
      queue.push(e)
      wake?.()
    }
    this.listeners.set(l, new SessionWatcher(this.peerId))
    this.stopped.finally(() => wake?.())
    queueMicrotask(() => this.dispatch())
    try {
      while (!this.isStopped) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r))
        wake = null
        yield* queue.splice(0)
      }
    } finally {
      this.listeners.delete(l)
    }
  }

  /** Calls `listener` after every change of the replica; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    return this.mesh.peer.host.subscribe(listener)
  }

  /** Resolves when the agent stops. */
  get done(): Promise<void> {
    return this.stopped
  }

  /** Leaves the mesh (the agent stays a member; its key and replica stay on disk). */
  async stop(opts: { goodbye?: boolean } = {}): Promise<void> {
    if (this.isStopped) return
    this.isStopped = true
    this.stopResolve()
    this.loop.stop()
    this.unsubscribe()
    await this.mesh.stop(opts)
  }

  /** Reports each listener's events; one that throws loses only its own event, never the others' or the duties of the run. */
  private dispatch(): void {
    dispatchTo(this.listeners, this.state, this.onError)
  }
}
