/** `task.claimed` (payload = the rules' Task), `task.released`, `task.completed`. */
import { z } from 'zod'
import { taskSchema } from '../../rules/types'

export const taskClaimedSchema = taskSchema
export const taskReleasedSchema = z.object({ taskId: z.string().min(1).max(200), reason: z.string().max(500).optional() })
export const taskCompletedSchema = z.object({ taskId: z.string().min(1).max(200), note: z.string().max(2000).optional() })
export type TaskReleased = z.infer<typeof taskReleasedSchema>
export type TaskCompleted = z.infer<typeof taskCompletedSchema>
