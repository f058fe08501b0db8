/**
 * Lease plans: two or more tasks of one repository whose paths overlap (a `paths` conflict
 * session). One task holds the lease on the shared paths and goes first; the others wait for
 * its completion (or release), which frees the lease. The holder is chosen by rendezvous hash
 * of the task ids, as conflict plans choose a keeper: every peer computes the same one and no
 * task wins every clash (ADR 0081).
 */
import { overlappingPaths } from '../rules/paths'
import type { Task } from '../rules/types'
import { rankClaimants } from './conflict'
import { planSchema, type Plan } from './plan'
import { clip, joinAnd, list } from './text'

/** Task ids in lease order: the holder first. */
export const leaseOrder = (taskIds: readonly string[]): string[] => rankClaimants('chorus-mesh/lease', taskIds)

/** A plan for a path conflict between the given tasks (one entry per task). */
export function leasePlan(tasks: readonly Task[]): Plan {
  const byId = new Map<string, Task>()
  for (const t of [...tasks].sort((p, q) => (p.taskId < q.taskId ? -1 : 1))) if (!byId.has(t.taskId)) byId.set(t.taskId, t)
  const [holder, ...waiting] = leaseOrder([...byId.keys()]).map((id) => byId.get(id)!)
  const shared = (t: Task) => [...new Set(overlappingPaths(holder.paths, t.paths).flatMap(([p, q]) => (p === q ? [p] : [p, q])))]
  const paths = [...new Set(waiting.flatMap(shared))]
  const who = (t: Task) => `${t.taskId}${t.agentId ? ` (${t.agentId})` : ''}`
  return planSchema.parse({
    summary: clip(
      `Path conflict in ${holder.repository}: ${joinAnd([holder, ...waiting].map((t) => t.taskId))} touch the same files (${joinAnd(paths.slice(0, 10))}). ${holder.taskId} holds the lease and goes first; ${joinAnd(waiting.map((t) => t.taskId))} wait${waiting.length === 1 ? 's' : ''} until it completes or is released.`,
    ),
    sequence: [
      { taskId: holder.taskId, order: 1, reason: clip(`Holds the lease on ${joinAnd(paths.slice(0, 10))}: it ranks first by sha256 of the task ids, a tie-break every peer computes identically.`) },
      ...waiting.map((t) => ({
        taskId: t.taskId,
        order: 2,
        reason: clip(`After ${holder.taskId}: it also changes ${joinAnd(shared(t).slice(0, 10))}. Start once ${holder.taskId} is completed (or released) and rebase on its result.`),
      })),
    ],
    artifacts: waiting.length
      ? [{ name: clip(`Changes to ${joinAnd(paths.slice(0, 5))}`, 200), description: clip(`${holder.taskId}'s merged change to the shared paths, which ${joinAnd(waiting.map((t) => t.taskId))} rebase on.`), producer: holder.taskId, consumers: waiting.map((t) => t.taskId) }]
      : [],
    coordinationPoints: list([
      `${who(holder)} completes its task (task.completed) as soon as its change to the shared paths is merged: that releases the lease.`,
      ...waiting.map((t) => `${who(t)} does not change ${joinAnd(shared(t).slice(0, 5))} before then; it may prepare work elsewhere.`),
      `If ${holder.taskId} cannot finish, it releases the task and ${waiting[0]?.taskId ?? 'the next task'} takes the lease.`,
    ]),
    risks: list(['Both sides edit the shared files at once and one has to redo its work after a merge conflict.']),
    successCriteria: list([`${joinAnd([holder, ...waiting].map((t) => t.taskId))} are merged one after the other without conflicting edits to the shared paths.`]),
    planner: { kind: 'template' },
  })
}
