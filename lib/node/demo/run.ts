/**
 * `chorus-mesh demo`: starts the cast of scenarios.ts against a relay and keeps it running.
 * Re-runnable against the same room: each agent keeps its key and replica under
 * `<dataDir>/demo/agents/<name>/`, claims only what it never claimed, and answers only plan
 * versions it has not answered.
 */
import { join } from 'node:path'
import { sessionIdOf } from '../../core/sessions/ids'
import { makePolicy } from '../agent/policy'
import { respondWith } from '../agent/responder'
import { ChorusAgent } from '../agent/sdk'
import { chatConfigFromEnv } from '../planner/chat'
import type { Planner } from '../planner/planner'
import { AUTH_API, DEMO_AGENTS, LOGIN_PAGE, type DemoAgent } from './scenarios'

export interface DemoOptions {
  relayUrl: string
  /** An agent invite (needed on the first run). */
  invite?: string
  dataDir: string
  planner?: Planner
  /** How long phase 2 waits for the auth pair to settle before it starts anyway (ms). @default 60000 */
  phaseTimeoutMs?: number
  log?: (event: string, fields?: Record<string, unknown>) => void
}

export interface Demo {
  agents: Map<string, ChorusAgent>
  /** Resolves once every phase has started. */
  started: Promise<void>
  stop(): Promise<void>
}

/** Polls `fn` every 50 ms until it holds or `timeoutMs` passes. */
async function until(fn: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!fn() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
}

const AUTH_SESSION = sessionIdOf('dependency', [AUTH_API.taskId, LOGIN_PAGE.taskId], 'API_Contract')

/** Starts the demo agents; see the module comment. */
export async function startDemo(o: DemoOptions): Promise<Demo> {
  const log = o.log ?? (() => {})
  const agents = new Map<string, ChorusAgent>()
  let stopping = false
  const dataDir = join(o.dataDir, 'demo')

  const launch = async (cast: DemoAgent): Promise<ChorusAgent> => {
    const agent = await ChorusAgent.join({
      name: cast.name,
      relayUrl: o.relayUrl,
      dataDir,
      invite: o.invite,
      syncIntervalMs: 2000,
      // Many agents on one machine: fsync per write would serialise them (ADR 0054).
      synchronous: 'NORMAL',
      ...(o.planner ? { planner: o.planner } : {}),
      onError: (err) => log('error', { agent: cast.name, message: (err as Error).message }),
    })
    agents.set(cast.name, agent)
    respondWith(agent, makePolicy(cast.policy, chatConfigFromEnv()), {
      onReply: (session, version, r) => log('replied', { agent: cast.name, session, version, type: r.type }),
      onError: (err) => log('error', { agent: cast.name, message: (err as Error).message }),
    })
    return agent
  }
  const claim = async (cast: DemoAgent, agent: ChorusAgent): Promise<void> => {
    for (const t of cast.tasks) {
      if (agent.everClaimed(t.taskId)) continue
      await agent.claim(t)
      log('claimed', { agent: cast.name, task: t.taskId })
    }
  }

  // Everyone joins at once; phase 1 claims at once, phase 2 once the auth pair has settled.
  const phase2 = Promise.all(DEMO_AGENTS.filter((a) => a.phase === 2).map(async (cast) => ({ cast, agent: await launch(cast) })))
  phase2.catch(() => {}) // awaited below; this only keeps an early failure from going unhandled
  await Promise.all(DEMO_AGENTS.filter((a) => a.phase === 1).map(async (cast) => claim(cast, await launch(cast))))
  log('phase', { phase: 1, agents: agents.size })

  const started = (async () => {
    const api = agents.get('api-agent') as ChorusAgent
    const deadline = Date.now() + (o.phaseTimeoutMs ?? 60_000)
    // On a re-run the auth session is closed already (its tasks were completed).
    const settled = () => ['resolved', 'closed'].includes(api.state.sessions.get(AUTH_SESSION)?.status ?? '')
    while (!stopping && Date.now() < deadline && !settled()) await new Promise((r) => setTimeout(r, 100))
    const joined = await phase2
    if (stopping) return
    // The auth pair agreed: they do their work and complete it, then the JWT pair claims.
    for (const [name, task] of [['api-agent', AUTH_API], ['web-agent', LOGIN_PAGE]] as const) {
      const a = agents.get(name) as ChorusAgent
      const t = a.state.tasks.get(task.taskId)
      if (t?.status === 'claimed' && t.claimants.includes(a.peerId)) await a.complete(task.taskId, 'done as agreed in the session')
    }
    await until(() => stopping || joined.every(({ agent }) => [AUTH_API, LOGIN_PAGE].every((t) => agent.state.tasks.get(t.taskId)?.status !== 'claimed')), Math.max(10_000, deadline - Date.now()))
    for (const { cast, agent } of joined) await claim(cast, agent)
    log('phase', { phase: 2, agents: agents.size })
  })()

  return {
    agents,
    started,
    async stop() {
      stopping = true
      await started.catch(() => {})
      await Promise.all([...agents.values()].map((a) => a.stop()))
    },
  }
}
