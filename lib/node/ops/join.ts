/**
 * Joining the room for a front end of the operations (the MCP server, the gateway): the join
 * runs in the background so the front end can answer at once; operations wait for it, and its
 * failure is reported once, prefixed with the command's name.
 */
import { ChorusAgent } from '../agent/sdk'
import { AgentOps } from './ops'

export interface AgentIdentityOptions {
  name: string
  relay: string
  data: string
  invite?: string
  agentKey?: string
  /** Take part in planning as a session's primary. */
  planner: boolean
}

/** Starts joining as `o.name`; resolves to the agent's operations once it is a member. */
export function joinAgentOps(o: AgentIdentityOptions, command: string): Promise<AgentOps> {
  const ops = ChorusAgent.join({
    name: o.name,
    relayUrl: o.relay,
    dataDir: o.data,
    invite: o.invite,
    agentKey: o.agentKey,
    ...(o.planner ? {} : { planner: false as const }),
    onError: (err) => console.error(`chorus-mesh ${command}: ${(err as Error).message}`),
  }).then((agent) => new AgentOps(agent))
  ops.catch((err) => console.error(`chorus-mesh ${command}: cannot join the room: ${(err as Error).message}`))
  return ops
}
