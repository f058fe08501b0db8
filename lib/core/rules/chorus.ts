/**
 * CHORUS interop (ADR 0082): CHORUS agents describe a task as a `TaskContext` — snake_case
 * keys, integer `task_id`/`project_id`, `agent_id`, `claimed_at`, `keywords` (Go's nil slice
 * arrives as null). Everywhere tasks come in, either shape is accepted and read as our Task.
 * CHORUS keys a task by `project_id:task_id` (its ids are per project), and so do we for
 * integer ids, so two CHORUS projects' task 42 never collide in one room.
 */
import { z } from 'zod'
import { taskSchema, type Task } from './types'

const id = z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(200)])

/** CHORUS's TaskContext JSON (`pkg/coordination`), plus our optional `paths`/`artifacts`. */
export const chorusTaskContextSchema = z.object({
  task_id: id,
  project_id: id,
  repository: z.string().min(1).max(500),
  title: z.string().min(1).max(500),
  description: z.string().max(8000).nullish(),
  keywords: z.array(z.string().min(1).max(100)).max(50).nullish(),
  agent_id: z.string().max(200).nullish(),
  /** RFC 3339; Go's zero time when unset. The claim's own event time is authoritative here. */
  claimed_at: z.string().max(64).nullish(),
  paths: taskSchema.shape.paths,
  artifacts: taskSchema.shape.artifacts,
})
export type ChorusTaskContext = z.input<typeof chorusTaskContextSchema>

/** True if a JSON value looks like a CHORUS TaskContext (it has snake_case `task_id`). */
export const isChorusTask = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && 'task_id' in v

/** Our task id for a CHORUS task: `project:task` for integer ids (CHORUS's own key), the string as given otherwise. */
export function chorusTaskId(taskId: number | string, projectId: number | string): string {
  return typeof taskId === 'number' ? `${projectId}:${taskId}` : taskId
}

/** A parsed TaskContext as our Task. */
export function fromChorusTask(c: z.output<typeof chorusTaskContextSchema>): Task {
  return {
    taskId: chorusTaskId(c.task_id, c.project_id),
    projectId: String(c.project_id),
    repository: c.repository,
    title: c.title,
    description: c.description ?? '',
    ...(c.keywords?.length ? { keywords: c.keywords } : {}),
    ...(c.agent_id ? { agentId: c.agent_id } : {}),
    ...(c.paths?.length ? { paths: c.paths } : {}),
    ...(c.artifacts?.length ? { artifacts: c.artifacts } : {}),
  }
}

/** The result of reading a task in either shape; `issues` are zod's, paths relative to the task. */
export type TaskParse = { success: true; data: Task; chorus: boolean } | { success: false; issues: z.core.$ZodIssue[]; chorus: boolean }

/**
 * Either shape, read as our Task: a value with `task_id` is a CHORUS TaskContext, anything
 * else is ours. Errors name the fields of the shape that was given.
 */
export function parseTask(v: unknown): TaskParse {
  if (isChorusTask(v)) {
    const r = chorusTaskContextSchema.safeParse(v)
    return r.success ? { success: true, data: fromChorusTask(r.data), chorus: true } : { success: false, issues: r.error.issues, chorus: true }
  }
  const r = taskSchema.safeParse(v)
  return r.success ? { success: true, data: r.data, chorus: false } : { success: false, issues: r.error.issues, chorus: false }
}

/** Integer id parts of `project:task`, or null. */
function chorusIds(taskId: string): { project: number; task: number } | null {
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(taskId)
  return m ? { project: Number(m[1]), task: Number(m[2]) } : null
}

/**
 * Our task as a CHORUS TaskContext. Ids written `project:task` with integers go back to
 * integers; any other id stays a string (a Go agent reading it needs a string field).
 */
export function toChorusTask(t: Task, claimedAt?: number): Record<string, unknown> {
  const ids = chorusIds(t.taskId)
  const numeric = /^\d{1,15}$/.test(t.projectId) ? Number(t.projectId) : t.projectId
  return {
    task_id: ids ? ids.task : t.taskId,
    project_id: ids ? ids.project : numeric,
    repository: t.repository,
    title: t.title,
    description: t.description,
    keywords: t.keywords ?? [],
    agent_id: t.agentId ?? '',
    claimed_at: new Date(claimedAt ?? 0).toISOString(),
    ...(t.paths ? { paths: t.paths } : {}),
    ...(t.artifacts ? { artifacts: t.artifacts } : {}),
  }
}
