/**
 * `chorus-mesh agent`: a scriptable agent over the SDK — join with an invite, claim the given
 * tasks, answer plans by policy, and log what happens (text or JSON lines). With `--stdin` it
 * reads commands line by line (lines.ts) and writes results and activity as JSON lines, so a
 * person or a script drives it; `complete` and `say` run one command as the agent and exit.
 */
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { AgentOps } from '../ops/ops'
import { chatConfigFromEnv } from '../planner/chat'
import { runLine } from './lines'
import { makePolicy, type PolicyName } from './policy'
import { respondWith } from './responder'
import { ChorusAgent, type TaskInput } from './sdk'

export interface AgentCommandOptions {
  name: string
  relay: string
  data: string
  invite?: string
  repo: string
  tasks: string[]
  descriptions: string[]
  /** `manual`: never answer plans automatically (a person or script replies). */
  policy: PolicyName | 'manual'
  json: boolean
  /** Project of the `--task` tasks. @default "default" */
  project?: string
  /** Read commands from this stream (one per line) and write results and activity as JSON lines. */
  stdin?: Readable
  /** Multiaddrs to listen on, so agents on one network mesh directly. */
  listen?: string[]
}

/** A task id from a title: lower-case words joined by dashes. */
export const slug = (title: string): string =>
  title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'task'

/** The `--task`/`--description` pairs as tasks in `repo` (descriptions pair up by position). */
export function tasksFrom(o: Pick<AgentCommandOptions, 'repo' | 'tasks' | 'descriptions' | 'project'>): TaskInput[] {
  return o.tasks.map((title, i) => ({ taskId: `${slug(o.repo)}-${slug(title)}`, title, repository: o.repo, description: o.descriptions[i] ?? '', ...(o.project ? { projectId: o.project } : {}) }))
}

/** A logger printing `event k=v …` or one JSON object per line. */
export function logger(json: boolean): (event: string, fields?: Record<string, unknown>) => void {
  return (event, fields = {}) =>
    console.log(
      json
        ? JSON.stringify({ ...fields, time: new Date().toISOString(), event })
        : `${event} ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}`,
    )
}

/** Runs the agent until `stopped` resolves. */
export async function runAgentCommand(o: AgentCommandOptions, stopped: Promise<void>): Promise<void> {
  const log = logger(o.json || o.stdin !== undefined)
  const policy = o.policy === 'manual' ? null : makePolicy(o.policy, chatConfigFromEnv())
  const agent = await ChorusAgent.join({
    name: o.name,
    relayUrl: o.relay,
    dataDir: o.data,
    invite: o.invite,
    listen: o.listen,
    onError: (err) => log('error', { message: (err as Error).message }),
  })
  const listening = (o.listen ?? []).length > 0 ? { listening: agent.mesh.node.getMultiaddrs().map((a) => a.toString()) } : {}
  log('joined', { peer: agent.peerId, room: agent.mesh.room.room, name: o.name, policy: o.policy, ...listening })
  const ops = o.stdin ? new AgentOps(agent) : null
  if (ops) {
    // The activity journal is the event stream: plans arrive with their text.
    let seq = 0
    const flush = () => {
      for (const { seq: s, type, ...rest } of ops.journal.after(seq)) {
        seq = s
        log(type, { seq: s, ...rest })
      }
    }
    flush()
    ops.journal.listen(flush)
  } else {
    agent.on('session', (e) => log('session', { session: e.session.id, type: e.session.type, status: e.status, tasks: e.session.tasks }))
    agent.on('plan', (e) => log('plan', { session: e.session.id, version: e.version, planner: e.plan.planner.kind, ...(e.plan.planner.fallbackReason ? { fallback: e.plan.planner.fallbackReason } : {}) }))
    agent.on('message', (e) => {
      if (!e.mine) log('message', { session: e.session.id, from: agent.state.members.get(e.message.author)?.displayName ?? e.message.author, type: e.message.type, text: e.message.text })
    })
  }
  if (policy) {
    respondWith(agent, policy, {
      onReply: (session, version, r) => log('replied', { session, version, type: r.type, text: r.text, ...(r.fallbackReason ? { fallback: r.fallbackReason } : {}) }),
      onError: (err) => log('error', { message: (err as Error).message }),
    })
  }
  for (const t of tasksFrom(o)) log('claimed', { task: t.taskId, claim: await agent.claim(t) })
  const input = ops && o.stdin ? readCommands(ops, o.stdin, (line) => console.log(JSON.stringify({ ...line, time: new Date().toISOString() }))) : null
  await Promise.race([stopped, ...(input ? [input] : [])])
  ops?.close()
  await agent.stop()
}

/** Runs each line of `stream` in order; resolves when the stream ends. */
async function readCommands(ops: AgentOps, stream: Readable, out: (line: Record<string, unknown>) => void): Promise<void> {
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    const result = await runLine(ops, line)
    if (result) out(result)
  }
}

/**
 * Runs one command as the agent `o.name` and exits (`chorus-mesh complete`, `say`): joins,
 * waits until its replica knows what the command names, runs it, prints the result line.
 * Resolves to the exit code (0, or 1 when the command was refused).
 */
export async function runOneCommand(o: Pick<AgentCommandOptions, 'name' | 'relay' | 'data' | 'invite'>, line: string, needs: { taskId?: string; session?: string }, timeoutMs = 20_000): Promise<number> {
  const agent = await ChorusAgent.join({ name: o.name, relayUrl: o.relay, dataDir: o.data, invite: o.invite, planner: false })
  try {
    const known = () => (!needs.taskId || agent.state.tasks.has(needs.taskId)) && (!needs.session || agent.state.sessions.has(needs.session as never))
    const deadline = Date.now() + timeoutMs
    while (!known() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const ops = new AgentOps(agent)
    const result = await runLine(ops, line)
    ops.close()
    console.log(JSON.stringify(result))
    return result?.event === 'result' ? 0 : 1
  } finally {
    await agent.stop()
  }
}
