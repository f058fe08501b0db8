/**
 * Conflict plans: two or more agents claimed the same task. Exactly one keeps it, chosen by
 * rendezvous hashing of (taskId, agentId): every peer computes the same winner without a
 * vote, and no agent wins every conflict the way a plain string order would make it.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import type { Task } from '../rules/types'
import { planSchema, type Plan } from './plan'
import { clip, joinAnd, list } from './text'

/** The rank key of an agent for a contested task: lower wins. */
export const claimRank = (taskId: string, agentId: string): string =>
  bytesToHex(sha256(utf8ToBytes(`chorus-mesh/conflict/1\n${taskId}\n${agentId}`)))

/** Agents ranked for a task, winner first. */
export function rankClaimants(taskId: string, agentIds: readonly string[]): string[] {
  return [...new Set(agentIds)]
    .map((a) => ({ a, r: claimRank(taskId, a) }))
    .sort((p, q) => (p.r < q.r ? -1 : p.r > q.r ? 1 : 0))
    .map((x) => x.a)
}

/** The contested task: the id with most claims, ties to the lowest id. */
function contested(claims: readonly Task[]): { taskId: string; claims: Task[] } {
  const groups = new Map<string, Task[]>()
  for (const c of claims) groups.set(c.taskId, [...(groups.get(c.taskId) ?? []), c])
  const [taskId, group] = [...groups.entries()].sort((p, q) => q[1].length - p[1].length || (p[0] < q[0] ? -1 : 1))[0]
  return { taskId, claims: group }
}

/** A plan for a conflict session: who keeps the task and what the others do instead. */
export function conflictPlan(tasks: readonly Task[], related: readonly Task[]): Plan {
  const { taskId, claims } = contested(tasks)
  const task = [...claims].sort((p, q) => (p.title < q.title ? -1 : p.title > q.title ? 1 : 0))[0]
  const agents = rankClaimants(taskId, claims.map((c, i) => c.agentId ?? `unnamed-claimant-${i + 1}`))
  const [winner, ...others] = agents
  // Unclaimed related tasks, in id order, are offered to the agents that step back.
  const spare = [...new Map(related.filter((t) => !t.agentId && t.taskId !== taskId).map((t) => [t.taskId, t])).values()].sort(
    (p, q) => (p.taskId < q.taskId ? -1 : 1),
  )
  const instead = others.map((agent, i) => ({ agent, task: spare[i] }))

  const sequence = [
    {
      taskId,
      order: 1,
      reason: `${winner} keeps ${taskId}: it ranks first by sha256(taskId, agentId), a tie-break every peer computes identically and that favours no agent across tasks.${others.length ? ` ${joinAnd(others)} release${others.length === 1 ? 's' : ''} the claim.` : ''}`,
    },
    ...instead
      .filter((x) => x.task)
      .map((x) => ({ taskId: x.task!.taskId, order: 1, reason: `${x.agent} takes this related, unclaimed task instead of ${taskId}, in parallel.` })),
  ]
  const coordinationPoints = [
    ...instead.map((x) =>
      x.task
        ? `${x.agent} releases its claim on ${taskId} (task.released) and claims ${x.task.taskId} ("${x.task.title}").`
        : `${x.agent} releases its claim on ${taskId} (task.released) and picks another unclaimed task; it reviews ${winner}'s result.`,
    ),
    `${winner} confirms in this session that it keeps ${taskId}.`,
    others.length ? `If ${winner} cannot finish, it releases the task and ${others[0]} (next in the same ranking) takes over.` : '',
  ]
  return planSchema.parse({
    summary: clip(`Conflict: ${joinAnd(agents)} claimed ${taskId} ("${task.title}") in ${task.repository}. ${winner} keeps it; ${others.length ? `${joinAnd(others)} ${others.length === 1 ? 'steps back and hands' : 'step back and hand'} over anything already done.` : 'no other claimant remains.'}`),
    sequence,
    artifacts: others.map((agent) => ({
      name: clip(`Handover notes from ${agent}`, 200),
      description: clip(`Anything ${agent} already did on ${taskId} (branches, notes, findings), handed to ${winner} so no work is lost.`),
      producer: agent,
      consumers: [winner],
    })),
    coordinationPoints: list(coordinationPoints),
    risks: list([
      'Both agents keep working on the task until the claim is released, producing duplicate or conflicting changes.',
      'Work already done by a releasing agent is lost if it is not handed over.',
    ]),
    successCriteria: list([
      `Exactly one active claim on ${taskId}, held by ${winner}.`,
      others.length ? `${joinAnd(others)} ${others.length === 1 ? 'has' : 'have'} released ${taskId} and taken other work.` : '',
    ]),
    planner: { kind: 'template' },
  })
}
