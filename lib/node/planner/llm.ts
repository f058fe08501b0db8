/**
 * The LLM planner (DESIGN §2): asks an OpenAI-compatible chat-completions endpoint for the
 * structured plan, validates it with the plan schema and against the session's tasks, and on
 * any failure (time-out, HTTP error, refusal, malformed answer) returns the template plan with
 * `planner.fallbackReason` saying why. It never throws and never blocks a session.
 */
import { planSchema, type Plan } from '../../core/planner/plan'
import { chat, ChatError, parseJsonObject, type ChatConfig } from './chat'
import type { Planner } from './planner'
import type { PlanRequest } from './request'
import { templateFor } from './template'

const SYSTEM = `You coordinate software agents working on dependent tasks in different repositories.
Answer with ONE JSON object and nothing else, with exactly these fields:
{"summary": string,
 "sequence": [{"taskId": string, "order": integer >= 1, "reason": string}],
 "artifacts": [{"name": string, "description": string, "producer": taskId, "consumers": [taskId]}],
 "coordinationPoints": [string], "risks": [string], "successCriteria": [string]}
Every task id of the session must appear in "sequence"; use no other task ids. Equal "order" values may run in parallel.`

/** The user prompt for a request: the session, its tasks, related tasks and open concerns. */
export function planPrompt(req: PlanRequest): string {
  const task = (t: PlanRequest['input']['tasks'][number]) =>
    `- ${t.taskId} [${t.repository}]${t.agentId ? ` claimed by ${t.agentId}` : ''}: ${t.title}${t.description ? ` — ${t.description}` : ''}`
  return [
    `Session ${req.session} (${req.input.sessionType}${req.input.relationship ? `, relationship ${req.input.relationship}` : ''}), plan version ${req.version}.`,
    `Tasks:\n${req.input.tasks.map(task).join('\n')}`,
    req.input.related?.length ? `Related tasks (context):\n${req.input.related.map(task).join('\n')}` : '',
    req.concerns.length ? `Concerns on the previous version, answer them:\n${req.concerns.map((c) => `- ${c.by}: ${c.text}`).join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n')
}

/** Validates a model's answer as a plan for `req`; throws ChatError('malformed') if it is not. */
export function planFromAnswer(req: PlanRequest, answer: string, model: string): Plan {
  const raw = parseJsonObject(answer)
  const parsed = planSchema.safeParse({ ...(raw as object), planner: { kind: 'llm', model: model.slice(0, 200) } })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ChatError('malformed', `not a plan: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  const ids = new Set(req.input.tasks.map((t) => t.taskId))
  const named = new Set(parsed.data.sequence.map((s) => s.taskId))
  const unknown = [...named].filter((id) => !ids.has(id))
  if (unknown.length) throw new ChatError('malformed', `unknown task ids in sequence: ${unknown.join(', ')}`)
  const missing = [...ids].filter((id) => !named.has(id))
  if (missing.length) throw new ChatError('malformed', `tasks missing from sequence: ${missing.join(', ')}`)
  return parsed.data
}

/** An LLM planner over `config`; falls back to the template planner with the reason. */
export function llmPlanner(config: ChatConfig): Planner {
  return {
    kind: 'llm',
    async plan(req) {
      try {
        const answer = await chat(config, [{ role: 'system', content: SYSTEM }, { role: 'user', content: planPrompt(req) }], { json: true })
        return planFromAnswer(req, answer, config.model)
      } catch (err) {
        const reason = err instanceof ChatError ? `${err.reason}: ${err.message}` : `error: ${(err as Error).message}`
        return templateFor(req, `llm planner (${config.model}) failed — ${reason}`)
      }
    },
  }
}
