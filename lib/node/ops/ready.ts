/**
 * `ready`: may this task start now? It reads the settled plans of the task's sessions (their
 * sequence says what goes first) and the tasks' completions: every task ordered before it
 * must be completed (or released). A session still being argued is a reason to wait too.
 * `preview`: the dependencies and conflicts a task would create if claimed now.
 */
import type { PeerId } from '../../core/ids'
import { compileRules } from '../../core/rules/compile'
import { detectFeatures } from '../../core/rules/detect'
import { taskFeatures } from '../../core/rules/features'
import { entityCounts, hotIn } from '../../core/rules/room'
import { pathConflict } from '../../core/rules/paths'
import type { Task } from '../../core/rules/types'
import type { RoomState } from '../../core/state/types'
import { nameOf } from './views'

/** Something a task waits for. */
export interface Blocker {
  /** The task that must finish first, or null when the wait is for a session to settle. */
  taskId: string | null
  session: string
  reason: string
}

/** The verdict of `ready`. */
export interface Readiness {
  taskId: string
  ready: boolean
  waitFor: Blocker[]
  /** One sentence: "Go: …" or "Wait for …". */
  text: string
}

const SETTLED = new Set(['resolved', 'closed'])

/** Whether `taskId` may start now, and if not, what it waits for. */
export function readiness(state: RoomState, taskId: string): Readiness {
  const waitFor: Blocker[] = []
  for (const s of state.sessions.values()) {
    if (!s.tasks.includes(taskId) && !s.plans[s.plans.length - 1]?.plan.sequence.some((x) => x.taskId === taskId)) continue
    if (!SETTLED.has(s.status)) {
      // A conflict over the same task is settled by who keeps it, not by waiting on others.
      waitFor.push({ taskId: null, session: s.id, reason: `session ${s.id} (${s.type}, ${s.rule}) is ${s.status}${s.plans.length ? '' : ', no plan yet'}: wait until it is settled` })
      continue
    }
    const plan = s.plans[s.plans.length - 1]?.plan
    const mine = plan?.sequence.find((x) => x.taskId === taskId)
    if (!plan || !mine) continue
    for (const step of plan.sequence) {
      if (step.order >= mine.order || step.taskId === taskId) continue
      const t = state.tasks.get(step.taskId)
      if (!t || t.status !== 'claimed') continue
      waitFor.push({ taskId: step.taskId, session: s.id, reason: `${step.taskId} goes first in the plan of ${s.id} (order ${step.order} before ${mine.order}); it is held by ${t.claimants.map((c) => nameOf(state, c)).join(', ')} and not completed` })
    }
  }
  const tasks = [...new Set(waitFor.map((b) => b.taskId).filter((x): x is string => x !== null))]
  const sessions = waitFor.filter((b) => b.taskId === null).map((b) => b.session)
  const text = waitFor.length === 0
    ? `Go: nothing has to finish before ${taskId}.`
    : `Wait for ${[...tasks, ...sessions.map((s) => `session ${s} to settle`)].join(', ')}.`
  return { taskId, ready: waitFor.length === 0, waitFor, text }
}

/**
 * What claiming `task` now would create: dependencies with held tasks, and conflicts. The
 * dependencies are the room's (ADR 0016): an entity that the held tasks and this one share more
 * widely than the room allows links nothing by itself, so the preview lists what the room will
 * announce, not every pair the rules alone would link.
 */
export function preview(state: RoomState, task: Task, me: PeerId) {
  const rules = compileRules([...state.rules.values()].map((r) => r.rule))
  const mine = taskFeatures(task)
  const held = new Map([...state.tasks].filter(([id, t]) => t.status === 'claimed' && id !== task.taskId).map(([id, t]) => [id, taskFeatures(t.task)]))
  const hot = hotIn(entityCounts([mine, ...held.values()]))
  const dependencies = []
  const conflicts = []
  for (const [id, t] of state.tasks) {
    if (t.status !== 'claimed') continue
    if (id === task.taskId) {
      const others = t.claimants.filter((c) => c !== me)
      if (others.length) conflicts.push({ taskId: id, kind: 'same_task' as const, heldBy: others.map((c) => nameOf(state, c)), paths: [] as [string, string][] })
      continue
    }
    for (const d of detectFeatures(mine, held.get(id)!, rules, hot)) dependencies.push({ ...d, other: { taskId: id, repository: t.task.repository, title: t.task.title, heldBy: nameOf(state, t.claimedBy) } })
    const paths = t.claimedBy === me ? [] : pathConflict(task, t.task)
    if (paths.length) conflicts.push({ taskId: id, kind: 'paths' as const, heldBy: [nameOf(state, t.claimedBy)], paths })
  }
  dependencies.sort((p, q) => q.confidence - p.confidence)
  return { taskId: task.taskId, dependencies, conflicts }
}
