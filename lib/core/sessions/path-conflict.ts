/**
 * Path conflicts (ADR 0081): two tasks of one repository, claimed by different agents, whose
 * `paths` overlap hold a lease on the same files. A conflict session with rule `paths` opens
 * for them; its evidence is the two `task.claimed` events, and admission recomputes the
 * overlap from them with the same function `due` used to emit it.
 */
import type { EventId } from '../ids'
import { PATHS_RULE, pathConflict } from '../rules/paths'
import type { Task } from '../rules/types'
import type { RoomState } from '../state/types'
import { normalizeRepository } from '../rules/repository'

/** A claim as admission sees it: the task and who claimed it. */
export interface ClaimView {
  readonly task: Task
  readonly author: string
}

/**
 * null if two claims justify a `paths` conflict session over `tasks` (sorted), else why not.
 * The claims are in the order of `tasks`.
 */
export function verifyPathConflict(tasks: readonly string[], a: ClaimView | undefined, b: ClaimView | undefined): string | null {
  if (tasks.length !== 2) return 'a path conflict has two tasks'
  if (!a || !b) return 'evidence is not two task.claimed'
  if (a.task.taskId !== tasks[0] || b.task.taskId !== tasks[1]) return 'claims are not of the two tasks'
  if (a.author === b.author) return 'both claims are by one agent'
  return pathConflict(a.task, b.task).length > 0 ? null : 'the paths do not overlap'
}

/** A path conflict that should have a session: sorted tasks and their holders' claims. */
export interface DuePathConflict {
  readonly tasks: [string, string]
  readonly evidence: [EventId, EventId]
}

/**
 * Pairs of claimed tasks in one repository, held by different agents, whose paths overlap.
 * Only tasks that declare paths take part, grouped by repository, so the work is the sum of
 * the squares of per-repository counts of such tasks.
 */
export function duePathConflicts(state: RoomState): DuePathConflict[] {
  const byRepo = new Map<string, { id: string; claim: EventId; author: string; task: Task }[]>()
  for (const [id, t] of state.tasks) {
    if (t.status !== 'claimed' || !t.task.paths?.length) continue
    const key = normalizeRepository(t.task.repository)
    const list = byRepo.get(key) ?? []
    list.push({ id, claim: t.claims[t.claimedBy], author: t.claimedBy, task: t.task })
    byRepo.set(key, list)
  }
  const out: DuePathConflict[] = []
  for (const list of byRepo.values()) {
    list.sort((p, q) => (p.id < q.id ? -1 : 1))
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i], list[j]]
        if (verifyPathConflict([a.id, b.id], a, b) === null) out.push({ tasks: [a.id, b.id], evidence: [a.claim, b.claim] })
      }
    }
  }
  return out
}

export { PATHS_RULE }
