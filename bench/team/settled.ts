/**
 * When a room's work has settled: every task of the workload is claimed, nothing derived is
 * due about it, and every session on it has left `active` or waits only for a human (a plan,
 * no open concern, every participant has answered the latest version). From there nothing
 * more happens without a reviewer.
 */
import type { DueEvent } from '../../lib/core/sessions/due'
import type { RoomState } from '../../lib/core/state/types'
import { versionNeeded } from '../../lib/node/agent/primary'

/** True if the due event concerns a task of `tasks`. */
export function dueTouches(state: RoomState, e: DueEvent, tasks: ReadonlySet<string>): boolean {
  if (e.kind === 'dependency.detected') return tasks.has(e.payload.dependency.task1) || tasks.has(e.payload.dependency.task2)
  if (e.kind === 'session.opened') return e.payload.tasks.some((t) => tasks.has(t))
  const id = (e.payload as { session?: string }).session
  return id != null && (state.sessions.get(id as never)?.tasks.some((t) => tasks.has(t)) ?? false)
}

/**
 * What still keeps the workload from settling, or null when it has settled. `due` is asked
 * last, only when nothing cheaper keeps the room busy: it walks the whole room, and every agent
 * of the bench asks this four times a second beside the work it measures.
 */
export function unsettled(state: RoomState, due: () => readonly DueEvent[], tasks: ReadonlySet<string>): string | null {
  for (const t of tasks) if (state.tasks.get(t)?.status !== 'claimed') return `task ${t} not claimed`
  for (const s of state.sessions.values()) {
    if (s.status !== 'active' || !s.tasks.some((t) => tasks.has(t))) continue
    if (s.plans.length === 0) return `session ${s.id} has no plan`
    if (versionNeeded(s, 12) > 0) return `session ${s.id} needs a plan version`
    const v = s.plans.length
    const silent = s.participants.find((p) => !s.messages.some((m) => m.author === p && m.planVersion === v))
    if (silent) return `session ${s.id} waits for a participant`
  }
  const d = due().find((e) => dueTouches(state, e, tasks))
  return d ? `${d.kind} due` : null
}
