/**
 * `chorus-mesh mcp`: a stdio MCP server with one agent identity, for coding agents (Claude
 * Code, Cursor, any MCP client). stdout carries the protocol, so everything else goes to
 * stderr. The server answers the client at once and joins the room in the background; tools
 * wait for the join (and report its failure).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { ChorusAgent } from '../agent/sdk'
import { AgentOps } from '../ops/ops'
import { createMcpServer } from './server'

export interface McpCommandOptions {
  name: string
  relay: string
  data: string
  invite?: string
  agentKey?: string
  planner: boolean
}

/** Runs the MCP server on stdin/stdout until the client closes it or a signal arrives. */
export async function runMcpServer(o: McpCommandOptions, stopped: Promise<void>): Promise<void> {
  // Libraries that log with console.log must not write into the protocol stream.
  console.log = console.error
  console.info = console.error
  const joining = ChorusAgent.join({
    name: o.name,
    relayUrl: o.relay,
    dataDir: o.data,
    invite: o.invite,
    agentKey: o.agentKey,
    ...(o.planner ? {} : { planner: false as const }),
    onError: (err) => console.error(`chorus-mesh mcp: ${(err as Error).message}`),
  })
  const ops = joining.then((agent) => new AgentOps(agent))
  ops.catch((err) => console.error(`chorus-mesh mcp: cannot join the room: ${(err as Error).message}`))
  const server = createMcpServer(() => ops)
  const transport = new StdioServerTransport()
  // The transport does not report the client closing stdin, so listen for that as well.
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve
    process.stdin.once('end', resolve)
    process.stdin.once('close', resolve)
  })
  await server.connect(transport)
  await Promise.race([closed, stopped])
  await server.close().catch(() => {})
  const agent = await joining.catch(() => null)
  ;(await ops.catch(() => null))?.close()
  await agent?.stop()
}
