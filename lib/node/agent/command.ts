/**
 * `chorus-mesh agent`: a scriptable agent over the SDK — join with an invite, claim the given
 * tasks, answer plans by policy, and log what happens (text or JSON lines).
 */
import { chatConfigFromEnv } from '../planner/chat'
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
  policy: PolicyName
  json: boolean
}

/** A task id from a title: lower-case words joined by dashes. */
export const slug = (title: string): string =>
  title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'task'

/** The `--task`/`--description` pairs as tasks in `repo` (descriptions pair up by position). */
export function tasksFrom(o: Pick<AgentCommandOptions, 'repo' | 'tasks' | 'descriptions'>): TaskInput[] {
  return o.tasks.map((title, i) => ({ taskId: `${slug(o.repo)}-${slug(title)}`, title, repository: o.repo, description: o.descriptions[i] ?? '' }))
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
  const log = logger(o.json)
  const policy = makePolicy(o.policy, chatConfigFromEnv())
  const agent = await ChorusAgent.join({
    name: o.name,
    relayUrl: o.relay,
    dataDir: o.data,
    invite: o.invite,
    onError: (err) => log('error', { message: (err as Error).message }),
  })
  log('joined', { peer: agent.peerId, room: agent.mesh.room.room, name: o.name, policy: o.policy })
  agent.on('session', (e) => log('session', { session: e.session.id, type: e.session.type, status: e.status, tasks: e.session.tasks }))
  agent.on('plan', (e) => log('plan', { session: e.session.id, version: e.version, planner: e.plan.planner.kind, ...(e.plan.planner.fallbackReason ? { fallback: e.plan.planner.fallbackReason } : {}) }))
  agent.on('message', (e) => {
    if (!e.mine) log('message', { session: e.session.id, from: agent.state.members.get(e.message.author)?.displayName ?? e.message.author, type: e.message.type, text: e.message.text })
  })
  respondWith(agent, policy, {
    onReply: (session, version, r) => log('replied', { session, version, type: r.type, text: r.text, ...(r.fallbackReason ? { fallback: r.fallbackReason } : {}) }),
    onError: (err) => log('error', { message: (err as Error).message }),
  })
  for (const t of tasksFrom(o)) log('claimed', { task: t.taskId, claim: await agent.claim(t) })
  await stopped
  await agent.stop()
}
