/**
 * The operations as data: name, description for a model, input schema and the call into
 * AgentOps. The MCP server registers each as a tool and the gateway serves each at
 * `POST /v1/<name>` with its OpenAPI entry generated from the same schema, so neither writes
 * an operation of its own.
 */
import { z } from 'zod'
import { MESSAGE_TYPES } from '../../core/events/kinds/message'
import { chorusTaskContextSchema } from '../../core/rules/chorus'
import { taskSchema } from '../../core/rules/types'
import type { AgentOps } from './ops'

/** Our task shape as input: `projectId` and `description` may be left out. */
export const taskInputSchema = taskSchema.extend({
  projectId: z.string().min(1).max(200).optional().describe('project the task belongs to (default "default")'),
  description: z.string().max(8000).optional().describe('what the task will do, in a sentence or two'),
  taskId: z.string().min(1).max(200).describe('stable id of the task, unique in the room (e.g. "web-login-page")'),
  repository: z.string().min(1).max(500).describe('repository the task changes, e.g. "acme/web"'),
  title: z.string().min(1).max(500).describe('short imperative title, e.g. "Build the login page"'),
  paths: taskSchema.shape.paths.describe('files, directories or globs the task will change in its repository, e.g. ["src/auth/**"]; overlapping paths of another agent\'s task in the same repository open a conflict session (a lease)'),
  artifacts: taskSchema.shape.artifacts.describe('contracts the task defines or consumes: [{id: "openapi:POST /v1/login", role: "define"}]; kinds: openapi, table, env, proto, graphql, event'),
})

const taskArg = z
  .union([taskInputSchema, chorusTaskContextSchema])
  .describe('the task: {taskId, repository, title, description?, keywords?, paths?, artifacts?} or a CHORUS TaskContext {task_id, project_id, repository, title, description, keywords, agent_id, claimed_at}')
const taskId = z.string().min(1).max(200).describe('the task id (a CHORUS task is "project_id:task_id", e.g. "7:42")')
const sessionId = z.string().min(1).max(100).describe('the session id (ses_…), from list_sessions or wait_for_activity')

/** One operation: what a model reads, what it sends, what runs. */
export interface Operation<S extends z.ZodObject = z.ZodObject> {
  readonly name: string
  readonly title: string
  readonly description: string
  readonly input: S
  /** True if it changes nothing in the room. */
  readonly readOnly: boolean
  run(ops: AgentOps, input: z.output<S>, signal?: AbortSignal): Promise<unknown> | unknown
}

const op = <S extends z.ZodObject>(o: Operation<S>): Operation => o as unknown as Operation

export const OPERATIONS: readonly Operation[] = [
  op({
    name: 'claim_task',
    title: 'Claim a task',
    description:
      'Claim a task you are about to work on, before you start. Say what it touches: `paths` (files/globs in its repository) and `artifacts` (contracts it defines or consumes, e.g. openapi:POST /v1/login). The room detects dependencies with other agents\' tasks and opens coordination sessions. Returns the dependencies and conflicts found with tasks already held; then call wait_for_activity for the plan.',
    input: z.object({ task: taskArg }),
    readOnly: false,
    run: (ops, i) => ops.claim(i.task),
  }),
  op({
    name: 'preview_dependencies',
    title: 'Preview the dependencies of a task',
    description: 'Before claiming: which held tasks a task would depend on (relationship, confidence, reason, who holds them) and which conflicts it would open (same task, overlapping paths). Claims nothing.',
    input: z.object({ task: taskArg }),
    readOnly: true,
    run: (ops, i) => ops.previewClaim(i.task),
  }),
  op({
    name: 'extract_artifacts',
    title: 'Read artifacts from files',
    description:
      'Read the contracts declared in files of your working tree — an OpenAPI document (each path and method), SQL migrations (tables), .proto (messages, services, methods), GraphQL SDL (Query/Mutation fields), .env.example (variables) — and return them as `artifacts` to pass to claim_task. Producers by default (env variables: consumers); `role` overrides.',
    input: z.object({
      files: z.array(z.string().min(1).max(500)).min(1).max(50).describe('paths relative to the working directory of this server, e.g. ["openapi.yaml", "migrations/004_prefs.sql"]'),
      role: z.enum(['define', 'consume']).optional().describe('the role of every artifact found (default per file kind)'),
    }),
    readOnly: true,
    run: (ops, i) => ops.extractArtifacts(i.files, i.role),
  }),
  op({
    name: 'release_task',
    title: 'Release a task',
    description: 'Give back a task you hold and will not finish (say why). Other agents may then claim it; a lease it held is freed.',
    input: z.object({ taskId, reason: z.string().max(500).optional().describe('why you step back') }),
    readOnly: false,
    run: (ops, i) => ops.release(i.taskId, i.reason),
  }),
  op({
    name: 'complete_task',
    title: 'Complete a task',
    description: 'Mark a task you hold as done once its change is merged. Tasks waiting on it (plans that put it first, leases on its paths) become ready.',
    input: z.object({ taskId, note: z.string().max(2000).optional().describe('what was delivered, e.g. the merged PR') }),
    readOnly: false,
    run: (ops, i) => ops.complete(i.taskId, i.note),
  }),
  op({
    name: 'list_sessions',
    title: 'List coordination sessions',
    description: 'Your coordination sessions (scope "mine", default), the room\'s sessions not yet closed ("active"), or all. Each has its status, tasks, participants, plan version and what is expected of you.',
    input: z.object({ scope: z.enum(['mine', 'active', 'all']).optional().describe('default "mine"') }),
    readOnly: true,
    run: (ops, i) => ({ sessions: ops.sessions(i.scope) }),
  }),
  op({
    name: 'get_session',
    title: 'Read a session',
    description: 'One session in full: the latest plan rendered as text (sequence, artifacts, coordination points, risks, success criteria), the messages, consensus so far, escalation, the human decision if any, and `expected`: what you should do now.',
    input: z.object({ session: sessionId }),
    readOnly: true,
    run: (ops, i) => ops.getSession(i.session),
  }),
  op({
    name: 'reply',
    title: 'Reply in a session',
    description:
      'Post a message in a session you take part in. type: "agreement" when the latest plan works for your task (consensus needs all but one participant), "concern" when something must change (the planner writes a revision), "question" to ask, "proposal" to suggest. The text says why, concretely.',
    input: z.object({
      session: sessionId,
      type: z.enum(MESSAGE_TYPES).optional().describe('agreement | concern | question | proposal (left out: classified from the text — "agreed", "looks good" … read as agreement)'),
      text: z.string().min(1).max(4000).describe('your message'),
    }),
    readOnly: false,
    run: (ops, i) => ops.reply(i.session, { type: i.type, text: i.text }),
  }),
  op({
    name: 'escalate',
    title: 'Ask for a human decision',
    description: 'Send an active session to the reviewers\' inbox when the agents cannot settle it; the note says what they must decide. The decision arrives through wait_for_activity and get_session.',
    input: z.object({ session: sessionId, note: z.string().min(1).max(2000).describe('what the humans must decide and why') }),
    readOnly: false,
    run: (ops, i) => ops.escalate(i.session, i.note),
  }),
  op({
    name: 'wait_for_activity',
    title: 'Wait for activity',
    description:
      'Block until something that concerns you happens — a session opened or changed status, a plan version, a message, a task you depend on completed, one of your tasks became ready — or until timeoutMs passes. Returns the new entries and a cursor; each call without `since` continues where the previous one stopped.',
    input: z.object({
      timeoutMs: z.number().int().min(0).max(120_000).optional().describe('longest wait in ms (default 30000, at most 120000)'),
      since: z.number().int().min(0).optional().describe('return entries after this cursor instead of after your previous call'),
    }),
    readOnly: true,
    run: (ops, i, signal) => ops.waitForActivity(i, signal),
  }),
  op({
    name: 'ready',
    title: 'May I start this task?',
    description: 'Whether a task may start now: "go", or which tasks must complete first and which sessions must settle, from the agreed or approved plans and the completions so far.',
    input: z.object({ taskId }),
    readOnly: true,
    run: (ops, i) => ops.ready(i.taskId),
  }),
  op({
    name: 'room',
    title: 'The room at a glance',
    description: 'Who is in the room (names, roles), every task with its status and holders, and session counts.',
    input: z.object({}),
    readOnly: true,
    run: (ops) => ops.room(),
  }),
  op({
    name: 'export_discussion',
    title: 'Export a session for CHORUS',
    description: 'A session in CHORUS\'s coordination-session shape (snake_case): participants, tasks_involved as TaskContext, messages, status, start/end, consensus reached and strength, outcome type, related tasks.',
    input: z.object({ session: sessionId }),
    readOnly: true,
    run: (ops, i) => ops.exportDiscussion(i.session),
  }),
]

/** The operation of a name, or undefined. */
export const operation = (name: string): Operation | undefined => OPERATIONS.find((o) => o.name === name)
